package org.openhall.mqtt.bridge.internal.component;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.testsupport.Mosquitto;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.QueueHistory;
import org.openhall.api.queue.Request;
import org.openhall.mqtt.bridge.internal.payload.DeviceHealth;
import org.openhall.mqtt.bridge.internal.payload.Json;
import org.openhall.mqtt.bridge.internal.payload.Schemas;
import org.openhall.mqtt.bridge.internal.publisher.Subscriber;
import org.openhall.queue.core.internal.engine.RealQueue;
import org.osgi.service.event.Event;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A running connection with the real queue core on a real journal, its real history, a real
 * Mosquitto and real MQTT clients: catching up by seq (docs/mqtt.md, "Events") and commands under
 * load and across reconnects ("Commands"). Event Admin's asynchronous delivery is a single thread
 * here, and the test decides which live events reach the connection.
 */
class LinkTest {

    static final long WAIT_MS = 30_000;
    static final String ROOT = "openhall/v1/" + RealQueue.HALL_ID;

    @TempDir
    Path tmp;
    Mosquitto broker;
    RealQueue hall;
    QueueHistory history;
    /** Event Admin's delivery thread. */
    ExecutorService eventAdmin;
    /** The running connection, if any: live events go to it. */
    final AtomicReference<Link> link = new AtomicReference<>();
    /** Live events for which this says false are not delivered (a listener that missed them). */
    volatile Predicate<Long> deliver = seq -> true;
    final List<AutoCloseable> open = new ArrayList<>();
    final AtomicInteger clients = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        // As the example configuration (mqtt-bridge/mosquitto/openhall.conf): the hall's command
        // session may queue more than Mosquitto's default of 1000 messages.
        broker = new Mosquitto(Files.createDirectories(tmp.resolve("broker")), "max_queued_messages 100000");
        open.add(broker);
        broker.start();
        hall = new RealQueue(Files.createDirectories(tmp.resolve("queue")));
        open.add(0, hall);
        history = hall.history();
        eventAdmin = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-event-admin"));
        hall.listen(props -> eventAdmin.execute(() -> {
            long seq = ((Number) props.get(QueueEvents.SEQ)).longValue();
            Link l = link.get();
            if (l != null && deliver.test(seq)) {
                l.handle(new Event(QueueEvents.topic((String) props.get(QueueEvents.TYPE)), props));
            }
        }));
    }

    @AfterEach
    void stop() throws Exception {
        Link l = link.getAndSet(null);
        if (l != null) {
            l.close();
        }
        eventAdmin.shutdown();
        assertTrue(eventAdmin.awaitTermination(10, TimeUnit.SECONDS));
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    Link startLink() throws Exception {
        return startLink(Map.of());
    }

    /** A connection that carries events, with more configuration keys. */
    Link startLink(Map<String, String> more) throws Exception {
        Map<String, Object> props = new java.util.HashMap<>(Map.of("service.pid", "org.openhall.mqtt.connection~cloud",
                "uri", broker.uri(), "publish", "events", "backoff.initialMillis", "50", "backoff.maxMillis", "200"));
        props.putAll(more);
        ConnectionConfig config = ConnectionConfig.parse(props);
        Link l = new Link(config, hall.queue(), history, tmp.resolve("data"), new Link.Context() {
            @Override
            public String software() {
                return "0.1.0";
            }

            @Override
            public Instant started() {
                return Instant.EPOCH;
            }

            @Override
            public Map<String, String> connections() {
                return Map.of();
            }
        }, new ConcurrentHashMap<String, DeviceHealth>());
        link.set(l);
        return l;
    }

    void stopLink() {
        Link l = link.getAndSet(null);
        l.close();
    }

    void issue(int n) {
        for (int i = 0; i < n; i++) {
            assertTrue(hall.queue().issueTicket(Request.by(Actor.device("kiosk-1"), UUID.randomUUID().toString()), "A",
                    PriorityClass.NORMAL, null).isOk());
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        Object monitor = new Object();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for: " + what);
            synchronized (monitor) {
                monitor.wait(20); // polling interval, bounded by the deadline above
            }
        }
    }

    /** What arrives on events/#, de-duplicated by seq (QoS 1 may deliver twice), until {@code toSeq}. */
    static List<JsonNode> eventsThrough(Subscriber sub, long toSeq) throws InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        long last = 0;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (last < toSeq) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            Subscriber.Received r = sub.next("", Math.max(1, left));
            assertNotNull(r, "timed out at seq " + last + " of " + toSeq + "; so far: " + out);
            JsonNode n = Json.read(r.payload().getBytes(UTF_8));
            boolean gap = r.topic().endsWith("/events/gap");
            Schemas.assertValid(gap ? "gap.json" : "event.json", n);
            long to = gap ? n.get("toSeq").longValue() : n.get("seq").longValue();
            if (to > last) {
                out.add(n);
                last = to;
            }
        }
        return out;
    }

    static List<Long> seqs(List<JsonNode> events) {
        return events.stream().map(n -> n.has("seq") ? n.get("seq").longValue() : -n.get("fromSeq").longValue()).toList();
    }

    static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void aNewConnectionStartsAtTheCurrentSeqAndARestartedOneCatchesUpInOrder() throws Exception {
        issue(3); // before the connection exists: not replayed
        long before = hall.seq();
        try (Subscriber screen = new Subscriber(broker.uri(), "screen", ROOT + "/events/#", true)) {
            Link first = startLink();
            await("the new connection starts at the queue's seq", () -> first.lastSeq() == before);
            issue(2);
            long s1 = hall.seq();
            assertEquals(range(before + 1, s1), seqs(eventsThrough(screen, s1)));

            // Stopped (its configuration deleted, the bundle updated …) while the hall runs on.
            await("live events queued", () -> first.lastSeq() == s1);
            stopLink();
            issue(5);
            long s2 = hall.seq();
            assertTrue(s2 >= s1 + 5);

            // Back: what happened meanwhile comes first, from the history, then the live events.
            startLink();
            issue(2);
            long s3 = hall.seq();
            List<JsonNode> got = eventsThrough(screen, s3);
            assertEquals(range(s1 + 1, s3), seqs(got), "every event, in order, seq contiguous, none twice");
            assertEquals("ticket.issued", got.get(0).get("type").textValue());
        }
    }

    @Test
    void aLiveEventThatShowsAHoleMakesTheConnectionReadTheMissedOnes() throws Exception {
        try (Subscriber screen = new Subscriber(broker.uri(), "screen", ROOT + "/events/#", true)) {
            Link l = startLink();
            await("started", () -> l.lastSeq() == hall.seq());
            long start = hall.seq();
            // Event Admin loses two events on the way to this listener.
            deliver = seq -> seq != start + 2 && seq != start + 3;
            issue(6);
            long end = hall.seq();
            assertEquals(range(start + 1, end), seqs(eventsThrough(screen, end)));
            await("caught up", () -> l.lastSeq() == end);
        }
    }

    @Test
    void eventsNoLongerInTheHistoryArePublishedAsAGap() throws Exception {
        try (Subscriber screen = new Subscriber(broker.uri(), "screen", ROOT + "/events/#", true)) {
            Link l = startLink();
            await("started", () -> l.lastSeq() == hall.seq());
            long start = hall.seq();
            stopLink();
            issue(4);
            long missed = hall.seq();
            // 100 days later the day rolls over: a snapshot, and the 90 days' retention prunes the journal.
            hall.clock.advance(Duration.ofDays(100));
            hall.tick();
            long rolled = hall.seq();
            assertTrue(rolled > missed, "the day rollover is an event");
            await("the history no longer holds seq " + (start + 1), () -> {
                List<QueueHistory.QueuedEvent> e = history.eventsAfter(start, 1);
                return !e.isEmpty() && e.get(0).seq() > start + 1;
            });
            long kept = history.eventsAfter(start, 1).get(0).seq();

            startLink();
            issue(1);
            long end = hall.seq();
            List<JsonNode> got = eventsThrough(screen, end);
            JsonNode gap = got.get(0);
            assertEquals("gap", gap.get("type").textValue(), String.valueOf(got));
            assertEquals(start + 1, gap.get("fromSeq").longValue());
            assertEquals(kept - 1, gap.get("toSeq").longValue());
            List<Long> expected = new ArrayList<>();
            expected.add(-(start + 1));
            expected.addAll(range(kept, end));
            assertEquals(expected, seqs(got));
        }
    }

    /** A paho client that sends commands as a kiosk does, QoS 1. */
    org.eclipse.paho.client.mqttv3.MqttClient kiosk() throws Exception {
        org.eclipse.paho.client.mqttv3.MqttClient c = new org.eclipse.paho.client.mqttv3.MqttClient(broker.uri(),
                "kiosk-" + clients.incrementAndGet(), new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        org.eclipse.paho.client.mqttv3.MqttConnectOptions o = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
        o.setMaxInflight(1000);
        c.connect(o);
        open.add(0, () -> {
            c.disconnect(1000);
            c.close(true);
        });
        return c;
    }

    static void send(org.eclipse.paho.client.mqttv3.MqttClient kiosk, String requestId, String category) throws Exception {
        kiosk.publish(ROOT + "/commands/issue-ticket", ("{\"requestId\":\"" + requestId + "\",\"clientId\":\"kiosk-b\","
                + "\"category\":\"" + category + "\"}").getBytes(UTF_8), 1, false);
    }

    /**
     * Distinct request ids of the replies that arrive, until {@code n}, or until none arrived for
     * {@link #WAIT_MS}: a lost command stalls the count, a slow (shared, loaded) machine does not
     * fail the test as long as replies keep coming.
     */
    static java.util.Set<String> replies(Subscriber sub, int n) throws InterruptedException {
        java.util.Set<String> ids = new java.util.HashSet<>();
        while (ids.size() < n) {
            Subscriber.Received r = sub.received.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            if (r == null) {
                break;
            }
            ids.add(Json.read(r.payload().getBytes(UTF_8)).path("requestId").asText());
        }
        return ids;
    }

    /**
     * A burst of commands, all sent before the first is answered: each one is answered. Before the
     * fix the commands ran on Paho's callback thread, which also completes the hall's own
     * deliveries; Paho's count of publishes in flight ran full ("Too many publishes in progress"),
     * the hall reconnected with a clean session, and the broker discarded the commands it had
     * queued for it (863 of 10,000 answered in the shipped jar).
     */
    @Test
    void aBurstOfCommandsIsAnsweredInFullWithoutAReconnect() throws Exception {
        int n = 3000;
        try (Subscriber screen = new Subscriber(broker.uri(), "screen", ROOT + "/replies/#", false)) {
            Link l = startLink(Map.of("acceptsCommands", "true", "publish", "events, state"));
            await("connected", () -> "connected".equals(l.state()));
            var kiosk = kiosk();
            for (int i = 0; i < n; i++) {
                send(kiosk, "burst-" + i, i % 2 == 0 ? "A" : "B");
            }
            java.util.Set<String> answered = replies(screen, n);
            assertEquals(n, answered.size(), "commands answered");
            assertEquals("connected", l.state());
            assertTrue(l.lastError() == null, () -> "no reconnect: " + l.lastError());
        }
    }

    /**
     * Commands a broker accepted while the hall's connection was away (a reconnect, a restart of
     * the bridge) are run when it is back: its command subscription is a persistent session.
     */
    @Test
    void commandsSentWhileTheHallIsAwayAreRunWhenItIsBack() throws Exception {
        Map<String, String> commands = Map.of("acceptsCommands", "true");
        try (Subscriber screen = new Subscriber(broker.uri(), "screen", ROOT + "/replies/#", true)) {
            Link first = startLink(commands);
            await("connected", () -> "connected".equals(first.state()));
            var kiosk = kiosk();
            send(kiosk, "before", "A");
            assertEquals(java.util.Set.of("before"), replies(screen, 1));
            stopLink();

            long seq = hall.seq();
            for (int i = 0; i < 50; i++) {
                send(kiosk, "away-" + i, "A");
            }
            assertEquals(seq, hall.seq(), "nothing ran while the hall was away");
            startLink(commands);
            java.util.Set<String> answered = replies(screen, 50);
            assertEquals(50, answered.size(), "answered after the return: " + answered);
            assertEquals(seq + 50, hall.seq(), "each command ran once");
        }
    }
}
