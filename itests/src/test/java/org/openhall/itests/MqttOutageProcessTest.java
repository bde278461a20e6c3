package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.testsupport.Mosquitto;

/**
 * The issue's broker outage at its scale, with the shipped runtime as a real process and a real
 * Mosquitto as the broker of the hall's {@code local} connection: Mosquitto stops, the hall does
 * 1,000 operations at its console, is restarted once (SIGTERM, start) in the middle of them,
 * Mosquitto comes back, and a subscriber receives every event, in order, seq contiguous.
 */
class MqttOutageProcessTest {

    static final Duration START = Duration.ofSeconds(60);
    static final Duration STOP = Duration.ofSeconds(10);
    static final String ROOT = "openhall/v1/demo";
    static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
    static final Pattern TYPE = Pattern.compile("\"type\":\"([a-z.]+)\"");
    /** Rounds of issue, call, start, finish: four operations each. */
    static final int ROUNDS = 250;

    @TempDir
    Path tmp;

    @Test
    void everyEventOfAThousandOperationsDuringAnOutageWithARestartArrivesInOrder() throws Exception {
        Path home = HallProcess.demoHome(tmp);
        Path brokerDir = Files.createDirectories(tmp.resolve("mosquitto"));
        // No limit on what Mosquitto keeps for the subscriber's persistent session (default 1000).
        try (Mosquitto broker = new Mosquitto(brokerDir, "max_queued_messages 0")) {
            broker.start();
            // The embedded broker off; the local connection goes to Mosquitto, and retries fast.
            Files.writeString(home.resolve("etc/org.openhall.mqtt.broker.cfg"), "enabled = false\n");
            Files.writeString(home.resolve("etc/org.openhall.mqtt.connection-local.cfg"), String.join("\n",
                    "uri = " + broker.uri(), "backoff.initialMillis = 100", "backoff.maxMillis = 1000",
                    "timeoutSeconds = 5", ""));

            long s0;
            HallProcess hall = HallProcess.startJar(home, "-Dgosh.args=");
            HallProcess firstHall = hall;
            try {
                MqttWatcher first = new MqttWatcher(broker.uri(), "outage-screen", ROOT + "/events/#", true);
                try (MqttWatcher screen = first) {
                    hall.await(HallProcess.READY, START);
                    run(hall, "before", List.of("hall:open 1 1001 1234"));
                    // The window's event reached the subscriber: the connection is up.
                    Poll.until("window.opened on events/", Duration.ofSeconds(30),
                            () -> screen.on("/events/window.opened").stream().map(r -> seq(r.payload())).findFirst(),
                            firstHall::output);
                } // the screen leaves; its persistent session keeps what is published for it
                // s0: the last event it took before it left (one published while it was leaving is
                // either taken and recorded, or left unacknowledged in its session).
                s0 = seqs(first, 0).stream().mapToLong(Long::longValue).max().orElseThrow();

                broker.stop();
                run(hall, "first half", rounds(ROUNDS / 2));
                assertTrue(hall.terminate(STOP), "SIGTERM stopped the hall");
                hall.awaitEndOfOutput(STOP);
            } finally {
                hall.close();
            }
            hall = HallProcess.startJar(home, "-Dgosh.args=");
            try {
                hall.await(HallProcess.READY, START);
                run(hall, "second half", rounds(ROUNDS - ROUNDS / 2));
                broker.start();
                // The one B ticket of the run, after the broker is back: the last event.
                run(hall, "end", List.of("hall:issue B"));

                try (MqttWatcher screen = new MqttWatcher(broker.uri(), "outage-screen", ROOT + "/events/#", true)) {
                    long end = Poll.until("ticket.issued of category B", Duration.ofSeconds(60),
                            () -> screen.on("/events/ticket.issued").stream().filter(r -> r.payload()
                                    .contains("\"category\":\"B\"")).map(r -> seq(r.payload())).findFirst(),
                            () -> "seqs so far: " + seqs(screen, s0).size());
                    List<Long> arrived = seqs(screen, s0);
                    List<Long> expected = new ArrayList<>();
                    for (long s = s0 + 1; s <= end; s++) {
                        expected.add(s);
                    }
                    assertEquals(expected, arrived, "every event after seq " + s0 + ", in order, seq contiguous");
                    assertEquals(ROUNDS + 1, count(screen, "ticket.issued"));
                    assertEquals(ROUNDS, count(screen, "ticket.called"));
                    assertEquals(ROUNDS, count(screen, "service.started"));
                    assertEquals(ROUNDS, count(screen, "service.finished"));
                }
                assertEquals(0, hall.count(Pattern.compile("ERROR [A-Z_]+:")), hall.output());
                assertTrue(hall.terminate(STOP));
            } finally {
                hall.close();
            }
        }
    }

    static List<String> rounds(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.addAll(List.of("hall:issue A", "hall:call 1", "hall:start 1", "hall:finish 1"));
        }
        return out;
    }

    /** Sends the commands to the console, then waits until it printed a marker sent after them. */
    static void run(HallProcess hall, String name, List<String> commands) throws Exception {
        for (String c : commands) {
            hall.send(c);
        }
        String marker = "DONE-" + name.replace(' ', '-');
        hall.send("echo " + marker);
        // The marker as printed by echo, not as typed (a terminal may echo the input line).
        hall.await(Pattern.compile("(?<!echo )" + Pattern.quote(marker)), Duration.ofSeconds(60));
    }

    static long seq(String payload) {
        Matcher m = SEQ.matcher(payload);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The seqs after {@code after} on events/, de-duplicated (QoS 1 may deliver twice), in order of arrival. */
    static List<Long> seqs(MqttWatcher screen, long after) {
        Set<Long> seen = new LinkedHashSet<>();
        screen.on("").stream().filter(r -> r.topic().startsWith(ROOT + "/events/")).map(r -> seq(r.payload()))
                .filter(s -> s > after).forEach(seen::add);
        return new ArrayList<>(seen);
    }

    static long count(MqttWatcher screen, String type) {
        Set<Long> seen = new LinkedHashSet<>();
        screen.on("/events/" + type).forEach(r -> {
            Matcher m = TYPE.matcher(r.payload());
            if (m.find() && m.group(1).equals(type)) {
                seen.add(seq(r.payload()));
            }
        });
        return seen.size();
    }
}

