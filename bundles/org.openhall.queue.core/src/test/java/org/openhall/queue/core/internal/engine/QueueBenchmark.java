package org.openhall.queue.core.internal.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.openhall.api.queue.Actor;
import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.Result;
import org.openhall.api.queue.WindowView;
import org.openhall.journal.Journal;
import org.openhall.journal.JournalOptions;
import org.openhall.journal.JournalStats;
import org.openhall.queue.core.domain.Command;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Durable operations per second and latency of the queue core, with 1 and 8 concurrent callers,
 * and in the same run the raw SQLite baseline: plain JDBC inserts of the same rows (one event and
 * one request record per operation, same payload size) with the same pragmas (WAL,
 * synchronous=FULL) and the same batching the journal achieved (its mean units per commit).
 *
 * <p>The workload is windows pausing and resuming with request ids: real durable operations with an
 * event each, that can run for any length of time (tickets would run out of numbers, 999 per
 * category and day). Run: {@code mvn -B -q -pl bundles/org.openhall.queue.core test-compile exec:java}
 * (optional arguments: seconds per measurement).
 */
public final class QueueBenchmark {

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        System.out.printf(Locale.ROOT, "OpenHall queue core benchmark: %d s per measurement, %d cores, Java %s%n",
                seconds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "%-8s %12s %10s %10s %14s %10s %8s%n", "callers", "ops/s", "p50 ms",
                "p99 ms", "units/commit", "raw rows/s", "ratio");
        for (int callers : new int[] { 1, 8 }) {
            measure(callers, seconds);
        }
    }

    private static void measure(int callers, int seconds) throws Exception {
        Path dir = Files.createTempDirectory("openhall-bench");
        Journal journal = Journal.open(dir.resolve("journal.db"), JournalOptions.defaults());
        QueueEngine engine = QueueEngine.start(journal, TestHalls.hall(callers), Clock.systemUTC(), () -> null);
        for (int w = 1; w <= callers; w++) {
            engine.execute(null, new Command.OpenWindow(Actor.staff("s" + w), String.valueOf(w), "s" + w,
                    TestHalls.PIN), WindowView.class).value();
        }
        run(engine, callers, 1, null); // warm-up
        JournalStats before = journal.stats();
        List<long[]> latencies = new ArrayList<>();
        long[] ops = new long[1];
        long elapsedNanos = run(engine, callers, seconds, (lat, n) -> {
            synchronized (latencies) {
                latencies.add(lat);
                ops[0] += n;
            }
        });
        JournalStats after = journal.stats();
        engine.close();
        journal.close();

        long[] all = latencies.stream().flatMapToLong(a -> Arrays.stream(a)).filter(v -> v > 0).sorted().toArray();
        double rate = ops[0] / (elapsedNanos / 1e9);
        double unitsPerCommit = (double) (after.unitsAppended() - before.unitsAppended()) / Math.max(1, after.commits() - before.commits());
        int batch = Math.max(1, (int) Math.round(unitsPerCommit));
        double raw = rawInserts(dir.resolve("raw.db"), batch, seconds);
        System.out.printf(Locale.ROOT, "%-8d %12.0f %10.3f %10.3f %14.2f %10.0f %8.2f%n", callers, rate,
                percentile(all, 0.50) / 1e6, percentile(all, 0.99) / 1e6, unitsPerCommit, raw, rate / raw);
    }

    interface Sink {
        void accept(long[] latencies, long operations);
    }

    /** Each caller pauses and resumes its own window, with a request id per operation. */
    private static long run(QueueEngine engine, int callers, int seconds, Sink sink) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean failed = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(callers);
        List<Thread> threads = new ArrayList<>();
        for (int c = 1; c <= callers; c++) {
            String window = String.valueOf(c);
            Actor staff = Actor.staff("s" + c);
            threads.add(new Thread(() -> {
              try {
                long[] lat = new long[2_000_000];
                int n = 0;
                long i = 0;
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    Command command = (i % 2 == 0) ? new Command.Pause(staff, window, PauseKind.BRIEF, "bench")
                            : new Command.Resume(staff, window);
                    Result<WindowView> r = engine.execute(window + "-" + i + "-" + t0, command, WindowView.class);
                    if (!r.isOk()) {
                        throw new IllegalStateException(r.error().toString());
                    }
                    if (n < lat.length) {
                        lat[n++] = System.nanoTime() - t0;
                    }
                    i++;
                }
                if (i % 2 == 1) { // leave the window resumed for the next run
                    engine.execute(null, new Command.Resume(staff, window), WindowView.class).value();
                }
                if (sink != null) {
                    sink.accept(Arrays.copyOf(lat, n), i);
                }
              } catch (RuntimeException e) {
                e.printStackTrace();
                failed.set(true);
              } finally {
                done.countDown();
              }
            }));
        }
        long start = System.nanoTime();
        threads.forEach(Thread::start);
        Thread.sleep(seconds * 1000L); // the measurement window itself, not synchronisation
        stop.set(true);
        done.await();
        if (failed.get()) {
            throw new IllegalStateException("a caller failed; see above");
        }
        return System.nanoTime() - start;
    }

    /** Rows per operation as the journal writes them: one entry and one request record, batched. */
    private static double rawInserts(Path file, int batch, int seconds) throws Exception {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file);
        byte[] payload = new byte[260]; // about the size of a window.paused event's JSON
        Arrays.fill(payload, (byte) 'x');
        try (Connection c = ds.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE entries(seq INTEGER PRIMARY KEY, type TEXT, time INTEGER, request_id TEXT, payload BLOB)");
                s.execute("CREATE TABLE requests(request_id TEXT PRIMARY KEY, fingerprint TEXT, first_seq INTEGER, last_seq INTEGER, recorded_at INTEGER, result BLOB)");
            }
            c.setAutoCommit(false);
            long ops = 0;
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            long start = System.nanoTime();
            try (PreparedStatement entry = c.prepareStatement("INSERT INTO entries(seq,type,time,request_id,payload) VALUES (?,?,?,?,?)");
                    PreparedStatement request = c.prepareStatement("INSERT INTO requests VALUES (?,?,?,?,?,?)")) {
                while (System.nanoTime() < deadline) {
                    for (int b = 0; b < batch; b++) {
                        ops++;
                        String id = "req-" + ops;
                        entry.setLong(1, ops);
                        entry.setString(2, "window.paused");
                        entry.setLong(3, System.currentTimeMillis());
                        entry.setString(4, id);
                        entry.setBytes(5, payload);
                        entry.addBatch();
                        request.setString(1, id);
                        request.setString(2, "pause:1:BRIEF:bench");
                        request.setLong(3, ops);
                        request.setLong(4, ops);
                        request.setLong(5, System.currentTimeMillis());
                        request.setBytes(6, payload);
                        request.addBatch();
                    }
                    entry.executeBatch();
                    request.executeBatch();
                    c.commit();
                }
            }
            return ops / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
