package org.openhall.queue.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.api.queue.TicketState;
import org.openhall.api.queue.TicketView;
import org.openhall.journal.Journal;
import org.openhall.journal.JournalOptions;
import org.openhall.journal.StoredEntry;

/**
 * Acknowledged means durable, proven with real SIGKILLs: a separate JVM ({@link CrashChild}) runs
 * kiosks and windows on a journal and is killed at random moments, at least 20 times, on the same
 * journal file. After every kill the journal is reopened and checked.
 */
class CrashTest {

    static final int KILLS = 20;

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedOperationSurvivesKill9AndNumbersAndSeqsStayConsistent() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path file = tmp.resolve("journal.db");
        Map<String, String> acked = new HashMap<>(); // requestId -> "kind ticket"
        for (int run = 0; run < KILLS; run++) {
            int ackTarget = 1 + random.nextInt(150);
            List<String> lines = runAndKill(file, seed + run, "r" + run, ackTarget);
            for (String line : lines) {
                String[] p = line.split(" ");
                acked.put(p[1], p[2] + " " + p[3]);
            }
            verify(file, acked, "seed " + seed + ", run " + run);
        }
    }

    /** Starts the child, waits for {@code acks} acknowledgements, kills it with SIGKILL. */
    private List<String> runAndKill(Path file, long seed, String run, int acks) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), CrashChild.class.getName(), file.toString(),
                String.valueOf(seed), run);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        BlockingQueue<String> out = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = in.readLine()) != null;) {
                    out.add(l);
                }
            } catch (IOException ignored) {
                // the child was killed
            }
            out.add("<EOF>");
        });
        reader.start();
        List<String> ackLines = new ArrayList<>();
        List<String> other = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ackLines.size() < acks) {
            String line = out.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.equals("<EOF>")) {
                child.toHandle().destroyForcibly();
                throw new AssertionError("the child ended or hung before " + acks + " acks; output: " + other);
            }
            (line.startsWith("ACK ") ? ackLines : other).add(line);
        }
        child.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no close
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        reader.join(10_000);
        // Acks printed between our last read and the kill were acknowledged too.
        for (String l; (l = out.poll()) != null;) {
            if (l.startsWith("ACK ")) {
                ackLines.add(l);
            }
        }
        return ackLines;
    }

    private void verify(Path file, Map<String, String> acked, String where) throws Exception {
        try (Journal journal = Journal.open(file, JournalOptions.defaults())) {
            // Sequence numbers: contiguous from 1, every unit whole.
            List<StoredEntry> entries = new ArrayList<>();
            journal.replay(0, entries::add);
            for (int i = 0; i < entries.size(); i++) {
                assertEquals(i + 1, entries.get(i).seq(), where + ": gap-free seq");
            }
            assertEquals(entries.size(), journal.lastSeq(), where);
            Map<String, Integer> perRequest = new HashMap<>();
            entries.stream().filter(e -> e.requestId() != null).forEach(e -> perRequest.merge(e.requestId(), 1, Integer::sum));
            for (Map.Entry<String, Integer> r : perRequest.entrySet()) {
                var stored = journal.request(r.getKey()).orElseThrow(
                        () -> new AssertionError(where + ": entries of " + r.getKey() + " without its request record"));
                assertEquals(stored.lastSeq() - stored.firstSeq() + 1, (long) r.getValue(), where + ": unit " + r.getKey() + " is whole");
            }
            // Every acknowledged operation is there, with the result that was acknowledged.
            QueueEngine engine = QueueEngine.start(journal, TestHalls.hall(CrashChild.WINDOWS), Clock.systemUTC(), () -> null);
            for (Map.Entry<String, String> a : acked.entrySet()) {
                assertTrue(journal.request(a.getKey()).isPresent(), where + ": acknowledged " + a.getKey() + " lost");
                String[] kindTicket = a.getValue().split(" ");
                if (kindTicket[0].equals("issue")) {
                    TicketView t = engine.ticket(kindTicket[1]).orElseThrow(
                            () -> new AssertionError(where + ": acknowledged ticket " + kindTicket[1] + " lost"));
                    assertTrue(t.issuedAt() != null);
                }
                if (kindTicket[0].equals("finish")) {
                    assertEquals(TicketState.FINISHED, engine.ticket(kindTicket[1]).orElseThrow().state(), where);
                }
            }
            // Numbers are never reused: every ticket of the day is one issue event.
            Set<String> numbers = new HashSet<>();
            for (StoredEntry e : entries) {
                if (e.type().equals("ticket.issued")) {
                    String payload = new String(e.payload(), StandardCharsets.UTF_8);
                    String number = payload.replaceAll(".*\"number\":\"([A-Z]\\d+)\".*", "$1");
                    assertTrue(numbers.add(number), where + ": number " + number + " issued twice");
                }
            }
            assertEquals(entries.size(), engine.seq(), where + ": the engine continues at the journal's last seq");
            engine.close();
        }
    }
}
