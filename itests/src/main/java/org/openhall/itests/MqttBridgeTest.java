package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.testsupport.Mosquitto;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.Request;
import org.openhall.api.runtime.HallHome;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The MQTT bridge in Felix against a real Mosquitto: a connection configured by a file in
 * {@code etc/}, events and retained state, commands and replies, and store-and-forward across a
 * broker outage (docs/mqtt.md).
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MqttBridgeTest {

    static final String ROOT = "openhall/v1/demo";
    static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    @InjectBundleContext
    static BundleContext context;

    @InjectService(timeout = 30_000)
    static HallQueue queue;

    @InjectService(timeout = 30_000)
    static HallHome home;

    @InjectService
    static ConfigurationAdmin configAdmin;

    static Path dir;
    static Mosquitto broker;
    static MqttWatcher screen;
    static EventRecorder events;
    static Path cfg;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("openhall-mqtt-itest");
        broker = new Mosquitto(dir);
        broker.start();
        // A persistent session: what the bridge publishes while the screen reconnects after a broker restart is kept for it.
        screen = new MqttWatcher(broker.uri(), "itest-screen", ROOT + "/#", true);
        events = new EventRecorder(context);
        cfg = home.etc().resolve("org.openhall.mqtt.connection-itest.cfg");
        Path part = home.etc().resolve(".org.openhall.mqtt.connection-itest.cfg.part");
        Files.writeString(part, String.join("\n",
                "uri = " + broker.uri(),
                "clientId = openhall-itest",
                "acceptsCommands = true",
                "backoff.initialMillis = 100",
                "backoff.maxMillis = 500",
                "timeoutSeconds = 5", ""));
        Files.move(part, cfg, StandardCopyOption.ATOMIC_MOVE);
        Poll.until("the bridge's online status with its connection state", () -> screen.on("/status").stream()
                .anyMatch(r -> r.payload().contains("\"itest\":\"connected\"")
                        && r.payload().contains("\"online\":true")));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (cfg != null && Files.deleteIfExists(cfg)) {
                // The connection stops and publishes its offline status on the way out.
                Poll.until("the bridge's offline status", () -> {
                    List<MqttWatcher.Received> s = screen.on("/status");
                    return !s.isEmpty() && s.get(s.size() - 1).payload().equals("{\"online\":false}");
                });
            }
        } finally {
            if (events != null) {
                events.close();
            }
            if (screen != null) {
                screen.close();
            }
            if (broker != null) {
                broker.close();
            }
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    static Request kiosk() {
        return Request.by(Actor.device("kiosk-mqtt"), UUID.randomUUID().toString());
    }

    static long seq(String payload) {
        Matcher m = SEQ.matcher(payload);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    static String issue() {
        IssuedTicket t = queue.issueTicket(kiosk(), "A", PriorityClass.NORMAL, null).value();
        return t.ticket().number();
    }

    static long issuedSeq(String ticket) {
        return EventRecorder.seq(events.await(QueueEvents.TICKET_ISSUED, ticket, 1).get(0));
    }

    @Test
    @Order(1)
    void ticketIssuedGivesItsEventAndTheCategoryState() throws Exception {
        String ticket = issue();
        long seq = issuedSeq(ticket);

        MqttWatcher.Received event = Poll.until("events/ticket.issued of " + ticket, Poll.DEFAULT,
                () -> screen.on("/events/ticket.issued").stream()
                        .filter(r -> r.payload().contains("\"ticket\":\"" + ticket + "\"")).findFirst(),
                () -> screen.on("/events/"));
        assertEquals(ROOT + "/events/ticket.issued", event.topic());
        assertEquals(seq, seq(event.payload()), event.payload());
        assertFalse(event.retained(), "events are not retained");

        Poll.until("categories/A at seq " + seq, Poll.DEFAULT, () -> screen.on("/categories/A").stream()
                .filter(r -> seq(r.payload()) >= seq).findFirst(), () -> screen.on("/categories/A"));

        // A screen that connects now gets the state at once, retained.
        try (MqttWatcher late = new MqttWatcher(broker.uri(), "itest-late-screen", ROOT + "/categories/A", false)) {
            MqttWatcher.Received state = Poll.until("retained categories/A", Poll.DEFAULT,
                    () -> late.on("/categories/A").stream().filter(r -> r.retained() && seq(r.payload()) >= seq).findFirst(),
                    () -> late.on("/categories/A"));
            assertTrue(state.payload().contains("\"id\":\"A\""), state.payload());
            assertTrue(state.payload().contains("\"waiting\":"), state.payload());
        }
    }

    @Test
    @Order(2)
    void commandsGetReplies() throws Exception {
        String requestId = UUID.randomUUID().toString();
        screen.publish(ROOT + "/commands/issue-ticket",
                "{\"requestId\":\"" + requestId + "\",\"clientId\":\"itest-kiosk\",\"category\":\"A\"}");
        MqttWatcher.Received ok = Poll.until("the reply to " + requestId, Poll.DEFAULT,
                () -> screen.on("/replies/itest-kiosk").stream().filter(r -> r.payload().contains(requestId)).findFirst(),
                () -> screen.on("/replies/"));
        assertTrue(ok.payload().contains("\"ok\":true"), ok.payload());
        Matcher number = Pattern.compile("\"number\":\"(A\\d+)\"").matcher(ok.payload());
        assertTrue(number.find(), ok.payload());
        assertTrue(queue.ticket(number.group(1)).isPresent(), "the ticket of the reply exists: " + number.group(1));

        // A required argument is missing: refused with a code, nothing issued.
        String missing = UUID.randomUUID().toString();
        screen.publish(ROOT + "/commands/issue-ticket", "{\"requestId\":\"" + missing + "\",\"clientId\":\"itest-kiosk\"}");
        MqttWatcher.Received refused = Poll.until("the reply to " + missing, Poll.DEFAULT,
                () -> screen.on("/replies/itest-kiosk").stream().filter(r -> r.payload().contains(missing)).findFirst(),
                () -> screen.on("/replies/"));
        assertTrue(refused.payload().contains("\"ok\":false"), refused.payload());
        assertTrue(refused.payload().contains("\"code\":\"MISSING_FIELD\""), refused.payload());

        // Not JSON at all: the sender cannot be identified.
        screen.publish(ROOT + "/commands/issue-ticket", "this is not json");
        MqttWatcher.Received malformed = Poll.until("the reply to the malformed command", Poll.DEFAULT,
                () -> screen.on("/replies/_unidentified").stream().findFirst(), () -> screen.on("/replies/"));
        assertTrue(malformed.payload().contains("\"ok\":false"), malformed.payload());
        assertTrue(malformed.payload().contains("\"code\":\"MALFORMED_JSON\""), malformed.payload());
    }

    @Test
    @Order(3)
    void eventsWaitInTheOutboxWhileTheBrokerIsDown() throws Exception {
        broker.stop();
        List<String> tickets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tickets.add(issue());
        }
        long first = issuedSeq(tickets.get(0));
        long last = issuedSeq(tickets.get(tickets.size() - 1));
        List<Long> expected = events.awaitThrough(first - 1, last, Poll.DEFAULT).stream().map(EventRecorder::seq)
                .filter(s -> s <= last).toList();
        assertEquals(last - first + 1, expected.size(), "the core's events are gap-free: " + expected);

        broker.start();
        List<Long> arrived = Poll.until("events " + first + ".." + last + " after the broker's restart",
                Duration.ofSeconds(60), () -> {
                    List<Long> seen = seqsOnEvents(first, last);
                    return seen.size() == expected.size() ? Optional.of(seen) : Optional.empty();
                }, () -> seqsOnEvents(first, last));
        // De-duplicated by seq (QoS 1 may deliver twice), in order of arrival: the core's order, no gap.
        assertEquals(expected, arrived);
        assertEquals(arrived.stream().sorted(Comparator.naturalOrder()).toList(), arrived);
        for (String t : tickets) {
            assertTrue(screen.on("/events/ticket.issued").stream().anyMatch(r -> r.payload().contains("\"ticket\":\"" + t + "\"")),
                    "ticket.issued of " + t);
        }
    }

    @Test
    @Order(4)
    void aBadEditOfTheFileKeepsTheLastGoodConnection() throws Exception {
        Path part = home.etc().resolve(".org.openhall.mqtt.connection-itest.cfg.part");
        Files.writeString(part, String.join("\n", "uri = http://127.0.0.1:" + broker.port, "acceptsCommands = true", ""));
        Files.move(part, cfg, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Poll.until("Config Admin has the bad edit", () -> {
            try {
                Configuration[] c = configAdmin.listConfigurations("(service.factoryPid=org.openhall.mqtt.connection)");
                return c != null && Stream.of(c).anyMatch(x -> String.valueOf(x.getProperties().get("uri")).startsWith("http:"));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        // The connection configured before carries on.
        String ticket = issue();
        long seq = issuedSeq(ticket);
        MqttWatcher.Received event = Poll.until("events/ticket.issued of " + ticket + " after the bad edit", Poll.DEFAULT,
                () -> screen.on("/events/ticket.issued").stream()
                        .filter(r -> r.payload().contains("\"ticket\":\"" + ticket + "\"")).findFirst(),
                () -> screen.on("/events/"));
        assertEquals(seq, seq(event.payload()));
    }

    @Test
    @Order(5)
    void aConnectionThatWasOffCatchesUpFromTheHistoryWhenItsConfigurationComesBack() throws Exception {
        String good = String.join("\n", "uri = " + broker.uri(), "clientId = openhall-itest", "acceptsCommands = true",
                "backoff.initialMillis = 100", "backoff.maxMillis = 500", "timeoutSeconds = 5", "");
        writeConfig(good);
        String before = issue();
        long s0 = issuedSeq(before);
        Poll.until("seq " + s0 + " on events/", () -> seqsOnEvents(s0, s0).size() == 1);

        // The connection's file is deleted: the connection stops (offline status) while the hall runs on.
        Files.delete(cfg);
        Poll.until("the bridge's offline status", () -> {
            List<MqttWatcher.Received> s = screen.on("/status");
            return !s.isEmpty() && s.get(s.size() - 1).payload().equals("{\"online\":false}");
        });
        List<String> meanwhile = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            meanwhile.add(issue());
        }
        long s1 = issuedSeq(meanwhile.get(meanwhile.size() - 1));

        // The file comes back: what the core did meanwhile is read from its history and published
        // first, then the live events; nothing twice, nothing missing.
        writeConfig(good);
        String after = issue();
        long s2 = issuedSeq(after);
        assertTrue(s2 > s1 && s1 > s0);
        List<Long> arrived = Poll.until("events " + (s0 + 1) + ".." + s2, Duration.ofSeconds(60), () -> {
            List<Long> seen = seqsOnEvents(s0 + 1, s2);
            return seen.size() == s2 - s0 ? Optional.of(seen) : Optional.empty();
        }, () -> seqsOnEvents(s0 + 1, s2));
        List<Long> expected = new ArrayList<>();
        for (long s = s0 + 1; s <= s2; s++) {
            expected.add(s);
        }
        assertEquals(expected, arrived, "contiguous and in the core's order");
        for (String t : meanwhile) {
            assertTrue(screen.on("/events/ticket.issued").stream().anyMatch(r -> r.payload().contains("\"ticket\":\"" + t + "\"")),
                    "ticket.issued of " + t + ", issued while the connection was off");
        }
    }

    static void writeConfig(String content) throws Exception {
        Path part = home.etc().resolve(".org.openhall.mqtt.connection-itest.cfg.part");
        Files.writeString(part, content);
        Files.move(part, cfg, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The seqs within first..last seen on events/*, in order of first arrival. */
    static List<Long> seqsOnEvents(long first, long last) {
        Set<Long> seen = new LinkedHashSet<>();
        Stream.of(screen.on("").toArray(MqttWatcher.Received[]::new))
                .filter(r -> r.topic().startsWith(ROOT + "/events/"))
                .map(r -> seq(r.payload())).filter(s -> s >= first && s <= last).forEach(seen::add);
        return new ArrayList<>(seen);
    }
}
