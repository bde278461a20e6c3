package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.testsupport.NotifyListener;
import org.openhall.testsupport.NotifyListener.Message;

/**
 * The shipped jar under systemd's notify protocol, as {@code openhall.service} runs it
 * ({@code Type=notify}, {@code WatchdogSec}): the test is systemd, a real AF_UNIX datagram socket
 * in {@code NOTIFY_SOCKET} (socat), with {@code WATCHDOG_USEC} of {@value #WATCHDOG_MS} ms. The
 * hang is a stalled journal writer (the journal's test hook,
 * {@code -Dopenhall.journal.stallForTesting=true} and {@code data/queue/journal.db.stall}), as
 * on a disk whose fsync never returns: the pings must stop, so that systemd would restart the hall.
 */
class SystemdNotifyProcessTest {

    static final long WATCHDOG_MS = 1000;
    static final Duration START = Duration.ofSeconds(60);
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    @Test
    void readyAfterTheReadyLineThenWatchdogPingsThatStopWhileTheJournalHangs() throws Exception {
        Path home = HallProcess.demoHome(tmp);
        HallProcess.freePorts(home);
        try (NotifyListener systemd = new NotifyListener(tmp.resolve("notify"));
                HallProcess hall = HallProcess.startJar(home,
                        Map.of("NOTIFY_SOCKET", systemd.socket.toString(),
                                "WATCHDOG_USEC", String.valueOf(WATCHDOG_MS * 1000)),
                        "-Dopenhall.journal.stallForTesting=true")) {
            long millis = Long.parseLong(hall.await(HallProcess.READY, START).group(1));
            Message ready = systemd.await(0, m -> m.has("READY=1"), WAIT);
            assertNotNull(ready, "READY=1 after the READY line; got " + systemd.messages());
            assertTrue(ready.has("STATUS=OpenHall READY in " + millis + " ms"), ready.text());
            hall.await(java.util.regex.Pattern.compile("systemd notified: READY=1"), WAIT);
            String out = hall.output();
            assertTrue(out.indexOf("OpenHall READY in") < out.indexOf("systemd notified: READY=1"),
                    "the READY line comes before READY=1:\n" + out);
            int afterReady = systemd.messages().indexOf(ready) + 1;

            // The watchdog keeps being fed, every WATCHDOG_USEC/2, while the queue core is healthy.
            long firstPing = 0;
            int from = afterReady;
            for (int i = 0; i < 4; i++) {
                Message ping = systemd.await(from, m -> m.has("WATCHDOG=1"), WAIT);
                assertNotNull(ping, "ping " + (i + 1) + " after READY=1: " + systemd.messages());
                from = systemd.messages().indexOf(ping) + 1;
                if (i == 0) {
                    firstPing = ping.nanos();
                } else if (i == 3) {
                    System.out.printf("figures: 3 watchdog intervals after READY took %d ms (WATCHDOG_USEC/2 = %d ms)%n",
                            TimeUnit.NANOSECONDS.toMillis(ping.nanos() - firstPing), WATCHDOG_MS / 2);
                }
            }
            assertEquals(1, systemd.messages().stream().filter(m -> m.has("READY=1")).count(), "READY=1 once");

            // The journal hangs: the health check does not get its answer, the pings stop.
            Path stall = home.resolve("data/queue/journal.db.stall");
            long stalled = System.nanoTime();
            Files.createFile(stall);
            Message unhealthy = systemd.await(from, m -> m.text().startsWith("STATUS=OpenHall unhealthy"), WAIT);
            assertNotNull(unhealthy, "unhealthy while the journal hangs: " + systemd.messages());
            assertTrue(unhealthy.text().contains("journal writer") && unhealthy.text().contains("has not answered"),
                    unhealthy.text());
            long lastPing = systemd.messages().stream().filter(m -> m.has("WATCHDOG=1")).mapToLong(Message::nanos)
                    .max().orElseThrow();
            int mark = systemd.size();
            // Six ping intervals without a ping (an observation window, not a synchronisation).
            Duration window = Duration.ofMillis(3 * WATCHDOG_MS);
            assertNull(systemd.await(mark, m -> m.has("WATCHDOG=1"), window),
                    "no ping while the journal hangs: " + systemd.messages());
            hall.await(java.util.regex.Pattern.compile("Unhealthy, the systemd watchdog is no longer fed"), WAIT);
            System.out.printf("figures: stall at +0 ms, last ping at %+d ms, unhealthy reported at +%d ms, "
                    + "no ping for the next %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(lastPing - stalled),
                    TimeUnit.NANOSECONDS.toMillis(unhealthy.nanos() - stalled), window.toMillis());

            // The journal answers again (under systemd the hall would have been restarted by now).
            Files.delete(stall);
            assertNotNull(systemd.await(mark, m -> m.has("WATCHDOG=1"), WAIT), "pings again: " + systemd.messages());

            // systemctl stop: SIGTERM, STOPPING=1, a clean stop within 5 s.
            mark = systemd.size();
            assertTrue(hall.terminate(Duration.ofSeconds(5)), "SIGTERM stopped the hall within 5 s");
            assertNotNull(systemd.await(mark, m -> m.has("STOPPING=1"), WAIT), "STOPPING=1: " + systemd.messages());
            hall.awaitEndOfOutput(WAIT);
            String stopping = hall.output().substring(hall.output().indexOf("OpenHall stopping"));
            assertTrue(!stopping.contains("Unhealthy") && !stopping.contains("not sent"),
                    "parts going away while the hall stops are no hang:\n" + stopping);
        }
    }
}
