package org.openhall.mqtt.bridge.internal.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a process writing to the outbox: every message whose {@code add} returned is
 * there after a restart, in order, and the file opens cleanly. (A power cut additionally relies on
 * fsync, which {@code synchronous=FULL} requests on every commit.)
 */
class OutboxCrashTest {

    static final int ROUNDS = 5;

    @TempDir
    Path tmp;

    @Test
    void acknowledgedAddsSurviveKillMinus9() throws Exception {
        Path file = tmp.resolve("outbox.db");
        long next = 1;
        long lastAcked = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long target = lastAcked + 50 + round * 37L;
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                    OutboxCrashChild.class.getName(), file.toString(), String.valueOf(next))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                assertEquals("READY", out.readLine());
                String line;
                while ((line = out.readLine()) != null) {
                    lastAcked = Long.parseLong(line.substring(4));
                    if (lastAcked >= target) {
                        p.destroyForcibly(); // SIGKILL, while the child keeps adding
                        break;
                    }
                }
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "child ended");
            assertTrue(lastAcked >= target, "the child acknowledged up to " + lastAcked);
            try (Outbox o = Outbox.open(file, Outbox.DEFAULT_QUOTA, "t/events/gap", (a, b) -> new byte[0])) {
                List<OutboxMessage> all = o.peek(Integer.MAX_VALUE);
                assertNotNull(all);
                assertTrue(all.size() >= lastAcked, "round " + round + ": every acknowledged add is there ("
                        + all.size() + " messages, acknowledged " + lastAcked + ")");
                for (int i = 0; i < all.size(); i++) {
                    assertEquals(i + 1, all.get(i).seq(), "round " + round + ": in order, nothing missing");
                }
                next = all.size() + 1;
            }
        }
    }
}
