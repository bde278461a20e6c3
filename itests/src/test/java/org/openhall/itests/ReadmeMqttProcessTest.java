package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the README promises a newcomer (issue 4, "Done when"): with the demo hall running, the
 * README's {@code mosquitto_sub} line watches the hall, and its one {@code mosquitto_pub} line
 * issues a ticket whose event arrives. The lines are taken from README.md itself and run by a shell,
 * as a newcomer would paste them.
 */
class ReadmeMqttProcessTest {

    static final Path README = HallProcess.TOP.resolve("README.md");

    @TempDir
    Path tmp;

    @Test
    void theReadmesMosquittoLinesWatchTheHallAndIssueATicket() throws Exception {
        String sub = readmeLine("mosquitto_sub ");
        String pub = readmeLine("mosquitto_pub ");
        assertTrue(sub.contains("-t 'openhall/#'") && !sub.contains(" -u "), "an anonymous watcher of everything: " + sub);
        Path home = HallProcess.demoHome(tmp);
        try (HallProcess hall = HallProcess.startJar(home)) {
            hall.await(HallProcess.READY, RuntimeProcessTest.START);
            List<String> seen = new CopyOnWriteArrayList<>();
            Process watcher = new ProcessBuilder("bash", "-c", sub).redirectErrorStream(true).start();
            try {
                Thread reader = new Thread(() -> read(watcher, seen), "readme-mosquitto-sub");
                reader.setDaemon(true);
                reader.start();
                // The retained status says the watcher is subscribed (and that the hall is online).
                Poll.until("the retained status on the watcher", () -> seen.stream()
                        .anyMatch(l -> l.startsWith("openhall/v1/demo/status ") && l.contains("\"online\":true")));
                Process publisher = new ProcessBuilder("bash", "-c", pub).redirectErrorStream(true).start();
                assertTrue(publisher.waitFor(20, TimeUnit.SECONDS), "mosquitto_pub returned");
                assertEquals(0, publisher.exitValue(), new String(publisher.getInputStream().readAllBytes(),
                        StandardCharsets.UTF_8));
                Poll.until("the ticket.issued event of the README's command", () -> seen.stream()
                        .anyMatch(l -> l.startsWith("openhall/v1/demo/events/ticket.issued ")
                                && l.contains("\"actor\":\"DEVICE:kiosk-9\"")));
                Poll.until("the reply to the README's command", () -> seen.stream()
                        .anyMatch(l -> l.startsWith("openhall/v1/demo/replies/kiosk-9 ") && l.contains("\"ok\":true")));
            } finally {
                watcher.toHandle().destroy();
                watcher.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** The first line of README.md's code that starts with {@code prefix}, without its # comment. */
    static String readmeLine(String prefix) throws IOException {
        for (String line : Files.readAllLines(README, StandardCharsets.UTF_8)) {
            if (line.startsWith(prefix)) {
                int comment = line.indexOf("   #");
                return (comment > 0 ? line.substring(0, comment) : line).trim();
            }
        }
        throw new AssertionError("README.md has no line starting with " + prefix);
    }

    private static void read(Process p, List<String> seen) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null;) {
                seen.add(line);
            }
        } catch (IOException e) {
            // the watcher was stopped
        }
    }
}
