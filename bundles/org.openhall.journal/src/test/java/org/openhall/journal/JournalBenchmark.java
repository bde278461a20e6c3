package org.openhall.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.sqlite.SQLiteDataSource;

/**
 * Throughput and latency of durable appends, compared with plain SQLite. Not a test: run it with
 * <pre>
 * mvn -B -q -pl bundles/org.openhall.journal test-compile exec:java
 * </pre>
 * ({@code -Dbenchmark.seconds=N} sets the measured seconds per run, default 5;
 * {@code -Dbenchmark.dir=...} where the databases go, by default {@code target/benchmark} of the
 * module: use a real disk, fsync on tmpfs costs nothing).
 *
 * <p>A unit is what the queue core appends per operation: one entry with a 200-byte payload and
 * one request record with a 40-byte result. For 1 and 8 concurrent callers, each waiting for its
 * unit to be durable before appending the next, it prints durable units per second and the p50
 * and p99 latency from {@code append} to durable. The raw baseline inserts the same rows into the
 * same tables with plain JDBC and the same pragmas (WAL, synchronous=FULL), one transaction per K
 * units where K is the mean number of units per commit the journal achieved, from one thread; its
 * latency is the duration of one transaction. {@code journal/raw} compares the throughputs.
 */
public final class JournalBenchmark {

    private static final byte[] PAYLOAD = payload(200);
    private static final byte[] RESULT = payload(40);

    private JournalBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("benchmark.dir", "target/benchmark")).toAbsolutePath();
        int seconds = Integer.getInteger("benchmark.seconds", 5);
        Files.createDirectories(dir);
        System.out.printf(Locale.ROOT, "OpenHall journal benchmark: 1 entry (%d-byte payload) + 1 request record per unit,"
                + " WAL + synchronous=FULL, %d s per run, in %s%n", PAYLOAD.length, seconds, dir);
        System.out.printf(Locale.ROOT, "%-8s %13s %9s %9s %12s %10s | %5s %13s %9s %9s | %11s%n",
                "callers", "journal u/s", "p50 µs", "p99 µs", "units/commit", "commit µs",
                "raw K", "raw u/s", "p50 µs", "p99 µs", "journal/raw");
        for (int callers : new int[] {1, 8}) {
            JournalRun journal = runJournal(fresh(dir, "journal-" + callers + ".db"), callers, seconds);
            int k = Math.max(1, (int) Math.round(journal.unitsPerCommit));
            RawRun raw = runRaw(fresh(dir, "raw-" + callers + ".db"), k, seconds);
            System.out.printf(Locale.ROOT, "%-8d %13.0f %9d %9d %12.2f %10.0f | %5d %13.0f %9d %9d | %11.2f%n",
                    callers, journal.unitsPerSecond, journal.p50Micros, journal.p99Micros, journal.unitsPerCommit,
                    journal.meanCommitMicros, k, raw.unitsPerSecond, raw.p50Micros, raw.p99Micros,
                    journal.unitsPerSecond / raw.unitsPerSecond);
        }
    }

    private record JournalRun(double unitsPerSecond, long p50Micros, long p99Micros, double unitsPerCommit,
            double meanCommitMicros) {
    }

    private record RawRun(double unitsPerSecond, long p50Micros, long p99Micros) {
    }

    private static JournalRun runJournal(Path file, int callers, int seconds) throws Exception {
        try (Journal journal = Journal.open(file, JournalOptions.defaults())) {
            // Warm-up (JIT, SQLite page cache, WAL file), not measured.
            AtomicLong ids = new AtomicLong(); // request ids stay unique across both phases
            appendFor(journal, callers, 1, ids);
            JournalStats before = journal.stats();
            long start = System.nanoTime();
            long[] latencies = appendFor(journal, callers, seconds, ids);
            double elapsed = (System.nanoTime() - start) / 1e9;
            JournalStats after = journal.stats();
            long units = after.unitsAppended() - before.unitsAppended();
            long commits = after.commits() - before.commits();
            double commitMicros = (after.meanCommitMicros() * after.commits() - before.meanCommitMicros() * before.commits())
                    / Math.max(1, commits);
            return new JournalRun(units / elapsed, percentile(latencies, 50), percentile(latencies, 99),
                    (double) units / Math.max(1, commits), commitMicros);
        }
    }

    /** Each caller appends and waits, until the time is up. @return every latency, in µs */
    private static long[] appendFor(Journal journal, int callers, int seconds, AtomicLong counter) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        CyclicBarrier start = new CyclicBarrier(callers);
        long[][] latencies = new long[callers][];
        Exception[] failures = new Exception[callers];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            int index = t;
            Thread thread = new Thread(() -> {
                long[] lat = new long[1 << 14];
                int n = 0;
                try {
                    start.await();
                    while (System.nanoTime() < deadline) {
                        long id = counter.incrementAndGet();
                        long t0 = System.nanoTime();
                        Pending p = journal.append(List.of(new Entry("bench.op", id, PAYLOAD)),
                                new RequestRecord("req-" + id, "bench", RESULT));
                        p.durable().get();
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, n * 2);
                        }
                        lat[n++] = (System.nanoTime() - t0) / 1_000;
                    }
                } catch (Exception e) {
                    failures[index] = e;
                }
                latencies[index] = Arrays.copyOf(lat, n);
            }, "bench-caller-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(); // join makes the threads' writes to the arrays visible here
        }
        for (Exception failure : failures) {
            if (failure != null) {
                throw failure;
            }
        }
        return Arrays.stream(latencies).flatMapToLong(Arrays::stream).toArray();
    }

    /** The same rows with plain JDBC: one transaction per {@code k} units, from one thread. */
    private static RawRun runRaw(Path file, int k, int seconds) throws SQLException {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + file);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA synchronous = FULL");
            s.execute("CREATE TABLE entry (seq INTEGER PRIMARY KEY, unit_last INTEGER NOT NULL, type TEXT NOT NULL,"
                    + " time_ms INTEGER NOT NULL, request_id TEXT, payload BLOB NOT NULL, crc INTEGER NOT NULL)");
            s.execute("CREATE TABLE request (request_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, first_seq INTEGER NOT NULL,"
                    + " last_seq INTEGER NOT NULL, after_seq INTEGER NOT NULL, recorded_at INTEGER NOT NULL, result BLOB,"
                    + " crc INTEGER NOT NULL)");
            s.execute("CREATE INDEX request_recorded_at ON request (recorded_at)");
            try (PreparedStatement entry = c.prepareStatement("INSERT INTO entry VALUES (?, ?, ?, ?, ?, ?, ?)");
                    PreparedStatement request = c.prepareStatement("INSERT OR IGNORE INTO request VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                long[] seq = {0};
                rawFor(s, entry, request, k, 1, seq); // warm-up
                long start = System.nanoTime();
                long before = seq[0];
                long[] latencies = rawFor(s, entry, request, k, seconds, seq);
                double elapsed = (System.nanoTime() - start) / 1e9;
                return new RawRun((seq[0] - before) / elapsed, percentile(latencies, 50), percentile(latencies, 99));
            }
        }
    }

    private static long[] rawFor(Statement control, PreparedStatement entry, PreparedStatement request, int k,
            int seconds, long[] seq) throws SQLException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long[] lat = new long[1 << 14];
        int n = 0;
        while (System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            control.execute("BEGIN IMMEDIATE");
            for (int i = 0; i < k; i++) {
                long s = ++seq[0];
                entry.setLong(1, s);
                entry.setLong(2, s);
                entry.setString(3, "bench.op");
                entry.setLong(4, s);
                entry.setString(5, "req-" + s);
                entry.setBytes(6, PAYLOAD);
                entry.setLong(7, s);
                entry.addBatch();
                request.setString(1, "req-" + s);
                request.setString(2, "bench");
                request.setLong(3, s);
                request.setLong(4, s);
                request.setLong(5, s - 1);
                request.setLong(6, System.currentTimeMillis());
                request.setBytes(7, RESULT);
                request.setLong(8, s);
                request.addBatch();
            }
            entry.executeBatch();
            request.executeBatch();
            control.execute("COMMIT");
            long micros = (System.nanoTime() - t0) / 1_000;
            if (n == lat.length) {
                lat = Arrays.copyOf(lat, n * 2);
            }
            lat[n++] = micros;
        }
        return Arrays.copyOf(lat, n);
    }

    private static long percentile(long[] values, int p) {
        if (values.length == 0) {
            return 0;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static Path fresh(Path dir, String name) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(name)).toList()) {
                Files.delete(p);
            }
        }
        return dir.resolve(name);
    }

    private static byte[] payload(int size) {
        StringBuilder sb = new StringBuilder("{\"ticket\":\"A001\",\"window\":3,\"pad\":\"");
        while (sb.length() < size - 2) {
            sb.append('x');
        }
        return sb.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
