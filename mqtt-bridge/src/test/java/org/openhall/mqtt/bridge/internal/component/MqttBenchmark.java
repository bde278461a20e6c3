package org.openhall.mqtt.bridge.internal.component;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.openhall.testsupport.Mosquitto;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.Request;
import org.openhall.mqtt.bridge.internal.outbox.Outbox;
import org.openhall.mqtt.bridge.internal.outbox.OutboxMessage;
import org.openhall.mqtt.bridge.internal.payload.Announcements;
import org.openhall.mqtt.bridge.internal.payload.DeviceHealth;
import org.openhall.mqtt.bridge.internal.payload.Json;
import org.openhall.mqtt.bridge.internal.payload.Payloads;
import org.openhall.mqtt.bridge.internal.publisher.OutboxPublisher;
import org.openhall.queue.core.internal.engine.RealQueue;
import org.osgi.service.event.Event;

/**
 * The MQTT bridge's benchmark (docs/mqtt.md, "Benchmark"): figures, not a timed test. Starts its own
 * Mosquitto on a free port and runs the real queue core (journal on disk) with the real connection
 * ({@link Link}: outbox on disk, Paho publisher):
 *
 * <ol>
 * <li>events/s from the core to a subscriber through the bridge, and in the same run the raw Paho
 * publish rate (QoS 1, the bridge's window of messages in flight, same payload size) as the baseline;</li>
 * <li>p50/p99 latency from a command published by a client to its reply and to its event;</li>
 * <li>the outbox's drain rate after an outage of 100,000 queued events, and its ratio to the baseline.</li>
 * </ol>
 *
 * <p>{@code mvn -B -q -pl mqtt-bridge -am test-compile exec:java -Dexec.skip=true} (the bridge's
 * own exec configuration is never skipped); arguments: events for (1), commands for (2), events
 * for (3); defaults 5000 1000 100000.
 */
public final class MqttBenchmark {

    static final String ROOT = "openhall/v1/" + RealQueue.HALL_ID;
    static final Pattern REQUEST = Pattern.compile("\"requestId\":\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int commands = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int outage = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        Path dir = Files.createTempDirectory("openhall-mqtt-bench");
        Mosquitto broker = Mosquitto.lean(dir, "set_tcp_nodelay true", "max_queued_messages 0", "max_inflight_messages 0");
        try {
            broker.start();
            System.out.printf("MQTT bridge benchmark: Mosquitto %s, %d cores, %s%n", Mosquitto.BINARY,
                    Runtime.getRuntime().availableProcessors(), Instant.now());
            throughput(dir.resolve("a"), broker.port, events);
            latency(dir.resolve("b"), broker.port, commands);
            drain(dir.resolve("c"), broker.port, outage);
        } finally {
            broker.stop();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted((x, y) -> y.compareTo(x)).forEach(f -> f.toFile().delete());
            }
        }
    }

    // ---- (1) throughput -------------------------------------------------------------------

    static void throughput(Path dir, int port, int n) throws Exception {
        String uri = "tcp://127.0.0.1:" + port;
        try (RealQueue hall = new RealQueue(Files.createDirectories(dir.resolve("queue")))) {
            Counter sub = new Counter(uri, "bench-screen", ROOT + "/events/#");
            ExecutorService eventAdmin = Executors.newSingleThreadExecutor();
            Link link = link(hall, dir, uri, "events", false, eventAdmin);
            try {
                await(() -> link.lastSeq() >= 0 && "connected".equals(link.state()), 30);
                for (String w : List.of("1", "2")) {
                    hall.queue().openWindow(Request.by(Actor.staff("s" + w), UUID.randomUUID().toString()), w, "s" + w,
                            RealQueue.PIN);
                }
                // Warm-up, then about n events from two windows serving citizens (issue, call, start,
                // finish) as fast as the core takes them.
                long w0 = hall.seq();
                serve(hall, 200);
                long warm = hall.seq() - w0;
                sub.await(warm + 2, 60);
                sub.reset();
                long s0 = hall.seq();
                long t0 = System.nanoTime();
                serve(hall, n);
                long tCore = System.nanoTime();
                n = (int) (hall.seq() - s0);
                try {
                    sub.await(n, 300);
                } catch (IllegalStateException e) {
                    throw new IllegalStateException(e.getMessage() + "; the connection: " + link.state() + ", queued "
                            + link.queued() + ", last seq " + link.lastSeq() + " of " + hall.seq(), e);
                }
                long t1 = System.nanoTime();
                double core = n / secs(t0, tCore);
                double bridge = n / secs(t0, t1);
                byte[] payload = sub.lastPayload;

                // The baseline: raw Paho, QoS 1, one message in flight, same payload, same broker.
                sub.reset();
                MqttClient raw = new MqttClient(uri, "bench-raw", new MemoryPersistence());
                raw.connect(options());
                rawPublish(raw, payload, 200);
                sub.await(200, 60);
                sub.reset();
                long r0 = System.nanoTime();
                rawPublish(raw, payload, n);
                sub.await(n, 300);
                long r1 = System.nanoTime();
                raw.disconnect();
                raw.close();
                double rawRate = n / secs(r0, r1);
                rawBaseline = rawRate;
                System.out.printf("%n(1) events from the core to a subscriber through the bridge (%d events, %d bytes each)%n",
                        n, payload.length);
                System.out.printf("    core alone (2 windows)   %8.0f events/s%n", core);
                System.out.printf("    through the bridge       %8.0f events/s%n", bridge);
                System.out.printf("    raw Paho QoS 1 baseline  %8.0f messages/s   (%d in flight, as the bridge)%n", rawRate,
                        OutboxPublisher.WINDOW);
                System.out.printf("    ratio bridge/raw         %8.2f   (bounded by the core here; the bridge alone: (3))%n",
                        bridge / rawRate);
            } finally {
                link.close();
                eventAdmin.shutdown();
                sub.close();
            }
        }
    }

    // ---- (2) latency ----------------------------------------------------------------------

    static void latency(Path dir, int port, int n) throws Exception {
        String uri = "tcp://127.0.0.1:" + port;
        try (RealQueue hall = new RealQueue(Files.createDirectories(dir.resolve("queue")))) {
            ExecutorService eventAdmin = Executors.newSingleThreadExecutor();
            Link link = link(hall, dir, uri, "state,events,stats", true, eventAdmin);
            Map<String, Long> sent = new ConcurrentHashMap<>();
            Map<String, Long> replied = new ConcurrentHashMap<>();
            Map<String, Long> evented = new ConcurrentHashMap<>();
            MqttClient kiosk = new MqttClient(uri, "bench-kiosk", new MemoryPersistence());
            kiosk.setCallback(new Callback((topic, payload) -> {
                long now = System.nanoTime();
                Matcher m = REQUEST.matcher(payload);
                if (m.find()) {
                    (topic.contains("/replies/") ? replied : evented).putIfAbsent(m.group(1), now);
                }
            }));
            try {
                kiosk.connect(options());
                kiosk.subscribe(new String[] { ROOT + "/replies/bench-kiosk", ROOT + "/events/ticket.issued" },
                        new int[] { 1, 1 });
                await(() -> "connected".equals(link.state()), 30);
                // The core alone, for comparison: one issue-ticket at a time, durable when it returns.
                long[] core = new long[n];
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    hall.queue().issueTicket(request("bench-core"), i % 2 == 0 ? "A" : "B", PriorityClass.NORMAL, null);
                    core[i] = System.nanoTime() - t0;
                }
                Arrays.sort(core);
                nextDay(hall);
                long[] reply = new long[n];
                long[] event = new long[n];
                for (int i = -100; i < n; i++) { // 100 warm-up commands
                    String id = UUID.randomUUID().toString();
                    byte[] cmd = ("{\"requestId\":\"" + id + "\",\"clientId\":\"bench-kiosk\",\"category\":\""
                            + (i % 2 == 0 ? "A" : "B") + "\"}")
                            .getBytes(StandardCharsets.UTF_8);
                    long t0 = System.nanoTime();
                    sent.put(id, t0);
                    kiosk.publish(ROOT + "/commands/issue-ticket", cmd, 1, false);
                    await(() -> replied.containsKey(id) && evented.containsKey(id), 30);
                    if (i >= 0) {
                        reply[i] = replied.get(id) - t0;
                        event[i] = evented.get(id) - t0;
                    }
                }
                Arrays.sort(reply);
                Arrays.sort(event);
                System.out.printf("%n(2) command → reply and → event, one command at a time (%d commands issue-ticket)%n", n);
                System.out.printf("    core alone p50 %6.2f ms   p99 %6.2f ms   (issueTicket called directly)%n",
                        ms(core, 0.50), ms(core, 0.99));
                System.out.printf("    to reply   p50 %6.2f ms   p99 %6.2f ms%n", ms(reply, 0.50), ms(reply, 0.99));
                System.out.printf("    to event   p50 %6.2f ms   p99 %6.2f ms%n", ms(event, 0.50), ms(event, 0.99));
            } finally {
                if (kiosk.isConnected()) {
                    kiosk.disconnect();
                }
                kiosk.close();
                link.close();
                eventAdmin.shutdown();
            }
        }
    }

    // ---- (3) drain after an outage ------------------------------------------------------------

    static void drain(Path dir, int port, int n) throws Exception {
        String uri = "tcp://127.0.0.1:" + port;
        Payloads payloads = new Payloads(RealQueue.HALL_ID, Announcements.defaults(), Payloads.DEFAULT_OVERFLOW_THRESHOLD);
        try (RealQueue hall = new RealQueue(Files.createDirectories(dir.resolve("queue")))) {
            // What a connection queued while its broker was away: n events in its outbox file.
            long f0 = System.nanoTime();
            try (Outbox o = Outbox.open(dir.resolve("data/mqtt/cloud.db"), Outbox.DEFAULT_QUOTA, ROOT + "/events/gap",
                    (a, b) -> Json.bytes(payloads.gap(a, b, Instant.now())))) {
                List<OutboxMessage> batch = new ArrayList<>();
                for (long seq = 1; seq <= n; seq++) {
                    Map<String, Object> props = new HashMap<>();
                    props.put(QueueEvents.SEQ, seq);
                    props.put(QueueEvents.TYPE, "ticket.issued");
                    props.put(QueueEvents.TIME, System.currentTimeMillis());
                    props.put("ticket", String.format("A%03d", seq % 1000));
                    props.put("category", "A");
                    props.put("priority", "NORMAL");
                    props.put("actor", "DEVICE:kiosk-1");
                    batch.add(OutboxMessage.of(OutboxMessage.Kind.EVENT, ROOT + "/events/ticket.issued",
                            Json.bytes(payloads.event(props)), false, seq));
                    if (batch.size() == 1000) {
                        o.addAll(batch);
                        batch.clear();
                    }
                }
                o.addAll(batch);
            }
            long f1 = System.nanoTime();
            Counter sub = new Counter(uri, "bench-drain", ROOT + "/events/#");
            ExecutorService eventAdmin = Executors.newSingleThreadExecutor();
            long t0 = System.nanoTime();
            Link link = link(hall, dir, uri, "events", false, eventAdmin);
            try {
                sub.await(n, 1800);
                long t1 = System.nanoTime();
                System.out.printf("%n(3) outbox drain after an outage (%d events queued, filled in %.1f s)%n", n, secs(f0, f1));
                System.out.printf("    drained to the subscriber in %.1f s: %8.0f events/s%n", secs(t0, t1), n / secs(t0, t1));
                if (rawBaseline > 0) {
                    System.out.printf("    ratio drain/raw Paho of (1)       %8.2f%n", n / secs(t0, t1) / rawBaseline);
                }
            } finally {
                link.close();
                eventAdmin.shutdown();
                sub.close();
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The raw baseline's rate, measured in (1). */
    static double rawBaseline;

    /** Raw Paho: {@code n} QoS 1 publications with the bridge's window of messages in flight. */
    static void rawPublish(MqttClient raw, byte[] payload, int n) throws Exception {
        java.util.ArrayDeque<org.eclipse.paho.client.mqttv3.IMqttDeliveryToken> inFlight = new java.util.ArrayDeque<>();
        org.eclipse.paho.client.mqttv3.MqttTopic topic = raw.getTopic(ROOT + "/events/ticket.issued");
        for (int i = 0; i < n; i++) {
            if (inFlight.size() >= OutboxPublisher.WINDOW) {
                inFlight.poll().waitForCompletion(10_000);
            }
            MqttMessage m = new MqttMessage(payload);
            m.setQos(1);
            inFlight.add(topic.publish(m));
        }
        while (!inFlight.isEmpty()) {
            inFlight.poll().waitForCompletion(10_000);
        }
    }

    /** A connection on the hall, fed with its live events by a single "Event Admin" thread. */
    static Link link(RealQueue hall, Path dir, String uri, String publish, boolean commands, ExecutorService eventAdmin)
            throws Exception {
        ConnectionConfig config = ConnectionConfig.parse(Map.of("service.pid", "org.openhall.mqtt.connection~cloud",
                "uri", uri, "publish", publish, "acceptsCommands", String.valueOf(commands),
                "backoff.initialMillis", "50", "backoff.maxMillis", "500"));
        Link link = new Link(config, hall.queue(), hall.history(), dir.resolve("data"), new Link.Context() {
            @Override
            public String software() {
                return "bench";
            }

            @Override
            public Instant started() {
                return Instant.now();
            }

            @Override
            public Map<String, String> connections() {
                return Map.of();
            }
        }, new ConcurrentHashMap<String, DeviceHealth>());
        hall.listen(props -> eventAdmin.execute(
                () -> link.handle(new Event(QueueEvents.topic((String) props.get(QueueEvents.TYPE)), props))));
        return link;
    }

    /**
     * Two windows serving citizens in parallel, each round issue (categories A and B in turn),
     * call, start, finish: about {@code events} events.
     */
    static void serve(RealQueue hall, int events) throws InterruptedException {
        ExecutorService windows = Executors.newFixedThreadPool(2);
        AtomicLong left = new AtomicLong(events / 4);
        for (String w : List.of("1", "2")) {
            windows.execute(() -> {
                long round;
                while ((round = left.getAndDecrement()) > 0) {
                    hall.queue().issueTicket(request("kiosk-" + w), round % 2 == 0 ? "A" : "B", PriorityClass.NORMAL,
                            null);
                    if (hall.queue().callNext(request("s" + w), w).isOk()) {
                        hall.queue().start(request("s" + w), w);
                        hall.queue().finish(request("s" + w), w, org.openhall.api.queue.Finish.done());
                    }
                }
            });
        }
        windows.shutdown();
        if (!windows.awaitTermination(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the windows did not finish");
        }
    }

    static Request request(String who) {
        Actor actor = who.startsWith("s") ? Actor.staff(who) : Actor.device(who);
        return Request.by(actor, UUID.randomUUID().toString());
    }

    /** The next business day: ticket numbers start again (999 per category and day). */
    static void nextDay(RealQueue hall) {
        hall.clock.advance(java.time.Duration.ofDays(1));
        hall.tick();
    }

    /** A subscriber that counts the messages that arrive. */
    static final class Counter implements AutoCloseable {
        private final MqttClient client;
        private final AtomicLong raw = new AtomicLong();
        volatile byte[] lastPayload;

        Counter(String uri, String id, String filter) throws Exception {
            client = new MqttClient(uri, id, new MemoryPersistence());
            client.setCallback(new Callback((topic, payload) -> {
                lastPayload = payload.getBytes(StandardCharsets.UTF_8);
                raw.incrementAndGet();
            }));
            client.connect(options());
            client.subscribe(filter, 1);
        }

        void reset() {
            raw.set(0);
        }

        void await(long n, int seconds) throws InterruptedException {
            try {
                MqttBenchmark.await(() -> raw.get() >= n, seconds);
            } catch (IllegalStateException e) {
                throw new IllegalStateException(e.getMessage() + ": " + raw.get() + " of " + n + " messages arrived");
            }
        }

        @Override
        public void close() throws Exception {
            client.disconnect();
            client.close();
        }
    }

    record Callback(java.util.function.BiConsumer<String, String> onMessage) implements MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {
            System.err.println("benchmark client lost its connection: " + cause);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            onMessage.accept(topic, new String(message.getPayload(), StandardCharsets.UTF_8));
            synchronized (PROGRESS) {
                PROGRESS.notifyAll(); // wakes await(): a condition may hold now
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // publishers wait for their tokens
        }
    }

    static MqttConnectOptions options() {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(1000);
        o.setConnectionTimeout(10);
        // As the bridge's own connection: without TCP_NODELAY, a client's PUBACK followed by its next
        // command waits for the broker's delayed ACK (Nagle), which the latency would include.
        o.setSocketFactory(OutboxPublisher.NoDelaySocketFactory.INSTANCE);
        return o;
    }

    /** Notified by every message a benchmark client receives. */
    static final Object PROGRESS = new Object();

    /**
     * Waits until the condition holds, or fails after the timeout. Woken by every message that
     * arrives; conditions on the connection's state (no message announces them) are looked at again
     * at least every 10 ms.
     */
    static void await(java.util.function.BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (PROGRESS) {
            while (!condition.getAsBoolean()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new IllegalStateException("timed out after " + seconds + " s");
                }
                PROGRESS.wait(Math.min(left, 10));
            }
        }
    }

    static double secs(long from, long to) {
        return (to - from) / 1e9;
    }

    static double ms(long[] sortedNanos, double q) {
        int i = Math.min(sortedNanos.length - 1, (int) Math.ceil(q * sortedNanos.length) - 1);
        return sortedNanos[Math.max(0, i)] / 1e6;
    }
}
