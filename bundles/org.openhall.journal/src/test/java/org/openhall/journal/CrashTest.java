package org.openhall.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.openhall.journal.TestSupport.replayAll;
import static org.openhall.journal.TestSupport.text;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process that is appending with SIGKILL, many times over the same journal file, and
 * checks after each kill that every acknowledged unit is there, that sequence numbers have no
 * gaps, and that every unit is wholly present or wholly absent. The seed is printed; rerun a
 * failing sequence with {@code -Dcrash.seed=<seed>}.
 */
class CrashTest {

    private static final int ROUNDS = 20;
    private static final int THREADS = 4;
    private static final Pattern ACK = Pattern.compile("ACK (\\d+) (\\d+) (\\S+)");
    private static final String EOF = "\u0000EOF";

    @TempDir
    Path dir;

    private record Ack(long firstSeq, long lastSeq, String requestId) {
    }

    @Test
    void everyAcknowledgedUnitSurvivesKillMinus9AndUnitsAreAtomic() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("CrashTest seed " + seed + " (rerun with -Dcrash.seed=" + seed + ")");
        Random random = new Random(seed);
        Path file = dir.resolve("crash.db");
        Map<String, Ack> acked = new HashMap<>();
        long totalAcks = 0;
        long unackedPresent = 0;
        int roundsWithLog = 0;

        for (int round = 0; round < ROUNDS; round++) {
            int killAfter = 1 + random.nextInt(80);
            long jitterNanos = random.nextInt(3_000_000);
            Path stderr = dir.resolve("child-" + round + ".err");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    "-Dorg.sqlite.tmpdir=" + dir, // native library extracted here, removed with @TempDir
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    CrashChild.class.getName(), file.toString(), "r" + round, String.valueOf(THREADS))
                    .redirectError(stderr.toFile())
                    .start();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> readLines(child.getInputStream(), lines), "crash-reader-" + round);
            reader.start();
            List<Ack> roundAcks = new ArrayList<>();
            try {
                int seen = 0;
                while (seen < killAfter) {
                    String line = lines.poll(TestSupport.TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    if (line == null || line.equals(EOF)) {
                        fail("round " + round + ": the child stopped or hung before " + killAfter + " ACKs: "
                                + Files.readString(stderr));
                    }
                    Ack ack = parse(line);
                    if (ack != null) {
                        roundAcks.add(ack);
                        seen++;
                    }
                }
                // Kill at a random point of the commit cycle, not right after an ACK.
                LockSupport.parkNanos(jitterNanos);
            } finally {
                child.toHandle().destroyForcibly(); // SIGKILL
                assertTrue(child.waitFor(TestSupport.TIMEOUT_SECONDS, TimeUnit.SECONDS), "the child did not die");
                reader.join(TimeUnit.SECONDS.toMillis(TestSupport.TIMEOUT_SECONDS));
            }
            // Complete ACK lines printed before the kill count as acknowledged too.
            for (String line; (line = lines.poll()) != null; ) {
                Ack ack = parse(line);
                if (ack != null) {
                    roundAcks.add(ack);
                }
            }
            for (Ack ack : roundAcks) {
                acked.put(ack.requestId(), ack);
            }
            totalAcks += roundAcks.size();
            Path wal = file.resolveSibling(file.getFileName() + "-wal");
            if (Files.exists(wal) && Files.size(wal) > 0) {
                roundsWithLog++; // the reopen below recovers from the write-ahead log
            }
            unackedPresent += verify(file, acked, round);
        }
        System.out.println("CrashTest: " + ROUNDS + " kills (" + roundsWithLog + " left a write-ahead log to recover), "
                + totalAcks + " acknowledged units verified, " + unackedPresent
                + " units durable but killed before their ACK was printed");
    }

    /** Passes on complete lines only: a line cut by the kill has no newline and is dropped. */
    private static void readLines(InputStream in, BlockingQueue<String> lines) {
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        try (in) {
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    lines.add(current.toString(StandardCharsets.UTF_8));
                    current.reset();
                } else {
                    current.write(b);
                }
            }
        } catch (IOException e) {
            // The stream ends with the process.
        }
        lines.add(EOF);
    }

    private static Ack parse(String line) {
        Matcher m = ACK.matcher(line);
        return m.matches() ? new Ack(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3)) : null;
    }

    /** @return how many units are present whose ACK was never printed (committed just before the kill) */
    private static int verify(Path file, Map<String, Ack> acked, int round) throws Exception {
        try (Journal journal = Journal.open(file, JournalOptions.defaults())) {
            List<StoredEntry> all = replayAll(journal, 0);
            // Contiguous 1..lastSeq: no gaps, nothing beyond.
            TestSupport.assertContiguous(all, 1);
            assertEquals(journal.lastSeq(), all.size(), "round " + round + ": lastSeq");

            // Entries form whole units: parts 1..3 of one request id, consecutive, with its record.
            int i = 0;
            while (i < all.size()) {
                StoredEntry first = all.get(i);
                String id = first.requestId();
                assertTrue(id != null && i + CrashChild.ENTRIES <= all.size(), "round " + round + ": incomplete unit at seq " + first.seq());
                for (int part = 1; part <= CrashChild.ENTRIES; part++) {
                    StoredEntry e = all.get(i + part - 1);
                    assertEquals(id, e.requestId(), "round " + round + ": seq " + e.seq());
                    assertEquals(id + " " + part + "/" + CrashChild.ENTRIES, text(e.payload()), "round " + round + ": seq " + e.seq());
                }
                StoredRequest request = journal.request(id).orElseThrow(() -> new AssertionError("no record for unit " + id));
                assertEquals(first.seq(), request.firstSeq());
                assertEquals(first.seq() + CrashChild.ENTRIES - 1, request.lastSeq());
                i += CrashChild.ENTRIES;
            }

            // Every record's unit is there too (records without entries have none to check).
            for (StoredRequest request : journal.requestsSince(0)) {
                assertEquals("fp-" + request.requestId(), request.fingerprint());
                if (!request.hasNoEntries()) {
                    assertTrue(request.lastSeq() <= all.size(), "round " + round + ": record " + request.requestId()
                            + " points beyond the entries");
                    assertEquals(request.requestId(), all.get((int) request.firstSeq() - 1).requestId());
                }
            }

            // Everything acknowledged, in this round and before, is durable.
            for (Ack ack : acked.values()) {
                StoredRequest request = journal.request(ack.requestId())
                        .orElseThrow(() -> new AssertionError("round " + round + ": acknowledged " + ack + " is lost"));
                if (ack.firstSeq() > ack.lastSeq()) {
                    assertTrue(request.hasNoEntries(), ack.toString());
                } else {
                    assertEquals(ack.firstSeq(), request.firstSeq(), ack.toString());
                    assertEquals(ack.lastSeq(), request.lastSeq(), ack.toString());
                    assertTrue(ack.lastSeq() <= all.size(), ack.toString());
                    assertEquals(ack.requestId(), all.get((int) ack.lastSeq() - 1).requestId(), ack.toString());
                }
            }
            String roundPrefix = "r" + round + "-";
            return (int) journal.requestsSince(0).stream()
                    .filter(r -> r.requestId().startsWith(roundPrefix) && !acked.containsKey(r.requestId()))
                    .count();
        }
    }
}
