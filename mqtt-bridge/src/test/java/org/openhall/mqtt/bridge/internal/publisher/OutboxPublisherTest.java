package org.openhall.mqtt.bridge.internal.publisher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.testsupport.Mosquitto;
import org.openhall.mqtt.bridge.internal.outbox.Outbox;
import org.openhall.mqtt.bridge.internal.outbox.OutboxMessage;
import org.openhall.mqtt.bridge.internal.outbox.OutboxMessage.Kind;
import org.openhall.mqtt.bridge.internal.payload.Announcements;
import org.openhall.mqtt.bridge.internal.payload.HallOpenState;
import org.openhall.mqtt.bridge.internal.payload.Json;
import org.openhall.mqtt.bridge.internal.payload.Payloads;
import org.openhall.mqtt.bridge.internal.payload.Schemas;

import com.fasterxml.jackson.databind.JsonNode;

/** The publisher against a real Mosquitto, with a real broker outage. */
class OutboxPublisherTest {

    static final String ROOT = "openhall/v1/test/";
    static final Payloads PAYLOADS = new Payloads("test", Announcements.defaults(), 10);
    static final long WAIT_MS = 20_000;

    @TempDir
    Path tmp;
    Mosquitto broker;
    Outbox outbox;
    OutboxPublisher publisher;
    final AtomicInteger connects = new AtomicInteger();
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Path brokerDir = Files.createDirectories(tmp.resolve("broker"));
        broker = new Mosquitto(brokerDir);
        open.add(broker);
        broker.start();
        outbox = Outbox.open(tmp.resolve("outbox.db"), Outbox.DEFAULT_QUOTA, ROOT + "events/gap",
                (from, to) -> Json.bytes(PAYLOADS.gap(from, to, Instant.now())));
        open.add(0, outbox);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    void startPublisher() {
        publisher = new OutboxPublisher(outbox, new OutboxPublisher.Settings(broker.uri(), "hall-test", ROOT + "status",
                Json.bytes(Payloads.statusOffline()), Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(400)),
                () -> {
                    // What the bridge does on every (re)connect: queue all retained state again.
                    connects.incrementAndGet();
                    Instant now = Instant.now();
                    outbox.add(OutboxMessage.of(Kind.STATE, ROOT + "status", Json.bytes(PAYLOADS.statusOnline("测试大厅",
                            "0.1.0", now, HallOpenState.OPEN, now)), true, 0));
                });
        publisher.start();
        open.add(0, publisher);
    }

    void addEvent(long seq) {
        Instant now = Instant.now();
        byte[] payload = Json.bytes(PAYLOADS.event(java.util.Map.of("seq", seq, "type", "ticket.issued", "time",
                now.toEpochMilli(), "ticket", String.format("A%03d", seq), "category", "A", "priority", "NORMAL",
                "actor", "DEVICE:kiosk-1")));
        outbox.add(OutboxMessage.of(Kind.EVENT, ROOT + "events/ticket.issued", payload, false, seq));
        publisher.wakeUp();
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

    /** Collects distinct event seqs in arrival order (QoS 1 may deliver a message twice). */
    static List<Long> eventSeqs(Subscriber sub, int expected) throws InterruptedException {
        List<Long> seqs = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (seqs.size() < expected) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            Subscriber.Received r = sub.next("/events/ticket.issued", Math.max(1, left));
            assertNotNull(r, "events arrived so far: " + seqs);
            JsonNode n = Json.read(r.payload().getBytes(UTF_8));
            Schemas.assertValid("event.json", n);
            long seq = n.get("seq").longValue();
            if (!seqs.contains(seq)) {
                seqs.add(seq);
            }
        }
        return seqs;
    }

    static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void eventsPublishedDuringABrokerOutageArriveAfterItInOrder() throws Exception {
        try (Subscriber screen = new Subscriber(broker.uri(), "screen-1", ROOT + "#", true)) {
            startPublisher();
            for (long seq = 1; seq <= 10; seq++) {
                addEvent(seq);
            }
            assertEquals(range(1, 10), eventSeqs(screen, 10));
            await("outbox drained", () -> outbox.size() == 0);
        }
        // The screen has left with a persistent session: the broker keeps what is published for
        // it (and saves it when it stops). That way the test does not depend on how fast the
        // screen's own client reconnects; what is tested is the publisher.
        broker.stop();
        await("publisher notices the outage", () -> !publisher.isConnected());
        for (long seq = 11; seq <= 30; seq++) {
            addEvent(seq);
        }
        assertTrue(outbox.size() >= 20, "kept in the outbox during the outage: " + outbox.size());
        assertFalse(publisher.isConnected());

        broker.start();
        for (long seq = 31; seq <= 40; seq++) {
            addEvent(seq);
        }
        await("outbox drained after the outage", () -> outbox.size() == 0);
        assertTrue(connects.get() >= 2, "reconnected: " + connects.get());
        try (Subscriber screen = new Subscriber(broker.uri(), "screen-1", ROOT + "#", true)) {
            assertEquals(range(11, 40), eventSeqs(screen, 30), "in order, seq contiguous, nothing lost");
        }
    }

    @Test
    void retainedStateIsRepublishedOnReconnectAndACleanStopShowsOffline() throws Exception {
        startPublisher();
        await("connected", () -> connects.get() == 1 && outbox.size() == 0);
        broker.stop();
        // Without its persistence file the restarted broker has lost every retained message.
        Files.deleteIfExists(broker.dir.resolve("mosquitto.db"));
        broker.start();
        await("reconnected", () -> connects.get() == 2 && outbox.size() == 0);
        try (Subscriber dashboard = new Subscriber(broker.uri(), "dash-1", ROOT + "status", false)) {
            Subscriber.Received status = dashboard.next("/status", WAIT_MS);
            assertNotNull(status, "retained status present after the broker lost it");
            assertTrue(status.retained());
            JsonNode n = Json.read(status.payload().getBytes(UTF_8));
            Schemas.assertValid("status.json", n);
            assertTrue(n.get("online").booleanValue());
        }
        publisher.close();
        try (Subscriber dashboard = new Subscriber(broker.uri(), "dash-2", ROOT + "status", false)) {
            Subscriber.Received status = dashboard.next("/status", WAIT_MS);
            assertNotNull(status);
            assertEquals("{\"online\":false}", status.payload());
            assertTrue(status.retained());
        }
    }

    @Test
    void killingTheHallProcessPublishesTheRetainedLastWill() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                PublisherChild.class.getName(), broker.uri(), tmp.resolve("child-outbox.db").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (java.io.BufferedReader out = new java.io.BufferedReader(
                new java.io.InputStreamReader(child.getInputStream(), UTF_8))) {
            assertEquals("READY", out.readLine());
        }
        try (Subscriber before = new Subscriber(broker.uri(), "dash-3", ROOT + "status", false)) {
            Subscriber.Received status = before.next("/status", WAIT_MS);
            assertNotNull(status);
            assertTrue(Json.read(status.payload().getBytes(UTF_8)).get("online").booleanValue(), status.payload());
        }
        child.destroyForcibly(); // SIGKILL: no DISCONNECT reaches the broker
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        try (Subscriber dashboard = new Subscriber(broker.uri(), "dash-4", ROOT + "status", false)) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
            String last = null;
            while (!"{\"online\":false}".equals(last)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                assertTrue(left > 0, "the Last Will did not arrive; last status: " + last);
                Subscriber.Received r = dashboard.next("/status", left);
                if (r != null) {
                    last = r.payload();
                }
            }
            Schemas.assertValid("status.json", Json.read(last.getBytes(UTF_8)));
        }
    }

    @Test
    void theMosquittoCommandLineClientSeesTheRetainedCategoryState() throws Exception {
        Path sub = Path.of("/usr/bin/mosquitto_sub");
        assertTrue(Files.isExecutable(sub), sub + " is required (apt-get install -y mosquitto-clients)");
        org.openhall.api.queue.CategoryView a = new org.openhall.api.queue.CategoryView("A", "社保医保", 12, 1, "A007", 720, 2);
        outbox.add(OutboxMessage.of(Kind.STATE, ROOT + "categories/A",
                Json.bytes(PAYLOADS.category(a, 431, Instant.now())), true, 0));
        startPublisher();
        await("published", () -> outbox.size() == 0 && connects.get() == 1);
        Process p = new ProcessBuilder(sub.toString(), "-h", "127.0.0.1", "-p", String.valueOf(broker.port), "-t",
                ROOT + "categories/+", "-q", "1", "-C", "1", "-W", "10", "-v").redirectErrorStream(true).start();
        assertTrue(p.waitFor(15, TimeUnit.SECONDS), "mosquitto_sub ended");
        String out = new String(p.getInputStream().readAllBytes(), UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith(ROOT + "categories/A "), out);
        JsonNode n = Json.read(out.substring(out.indexOf(' ') + 1).getBytes(UTF_8));
        Schemas.assertValid("category.json", n);
        assertEquals("社保医保", n.get("name").textValue(), "UTF-8 intact through the broker");
        assertEquals("QUEUE_OVERFLOW", n.get("alert").get("code").textValue());
    }

    @Test
    void messagesQueuedWhileNoPublisherRanGoFirstInOrder() throws Exception {
        for (long seq = 1; seq <= 5; seq++) {
            outbox.add(OutboxMessage.of(Kind.EVENT, ROOT + "events/ticket.issued",
                    Json.bytes(PAYLOADS.event(java.util.Map.of("seq", seq, "type", "ticket.issued", "time", 0L,
                            "ticket", "A00" + seq, "category", "A", "priority", "NORMAL", "actor", "DEVICE:k"))),
                    false, seq));
        }
        try (Subscriber screen = new Subscriber(broker.uri(), "screen-2", ROOT + "events/#", false)) {
            startPublisher();
            assertEquals(range(1, 5), eventSeqs(screen, 5), "what was queued while offline goes first, in order");
            await("drained", () -> outbox.size() == 0);
        }
    }

    /**
     * Messages whose topic Paho cannot encode (a control character, a character outside the Basic
     * Multilingual Plane) or may not publish to (a wildcard): before the fix the first of them
     * stayed at the head of the outbox, every connection failed on it ("Invalid UTF-8 char: [9]")
     * and nothing after it was ever published. Now each is discarded, counted, an event among
     * them is replaced by a gap, and what follows arrives.
     */
    @Test
    void aMessageTheClientCannotEncodeIsDiscardedAndDoesNotBlockTheOutbox() throws Exception {
        try (Subscriber sub = new Subscriber(broker.uri(), "screen", ROOT + "#", false)) {
            for (String bad : List.of("hall\tscreen", "hall\nscreen", "emoji/\uD83D\uDE00", "wild/#", "\u0085next-line")) {
                outbox.add(OutboxMessage.of(Kind.REPLY, bad, "{}".getBytes(UTF_8), false, 0));
            }
            addEventUnstarted(1);
            outbox.add(OutboxMessage.of(Kind.EVENT, ROOT + "events/bad\u0000type", "{}".getBytes(UTF_8), false, 2));
            addEventUnstarted(3);
            outbox.add(OutboxMessage.of(Kind.REPLY, ROOT + "replies/kiosk-1", "{\"ok\":true}".getBytes(UTF_8), false, 0));
            startPublisher();

            List<Subscriber.Received> seen = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
            while (seen.stream().noneMatch(r -> r.topic().endsWith("/replies/kiosk-1"))
                    || seen.stream().noneMatch(r -> r.topic().endsWith("/events/gap"))) {
                Subscriber.Received r = sub.received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertNotNull(r, "the messages behind the unpublishable ones arrive; so far: " + seen);
                seen.add(r);
            }
            await("outbox drained", () -> outbox.size() == 0);
            assertEquals(6, publisher.discarded(), "five replies and one event discarded");
            assertEquals(6, outbox.discarded());
            assertEquals(1, connects.get(), "one connection: no message dropped it");
            assertTrue(publisher.isConnected());
            // The event with the bad topic became a gap for its seq.
            List<String> events = seen.stream().filter(r -> r.topic().contains("/events/"))
                    .map(r -> r.topic().substring(r.topic().lastIndexOf('/') + 1) + ":" + Json.read(r.payload().getBytes(UTF_8))
                            .path(r.topic().endsWith("gap") ? "fromSeq" : "seq").asLong())
                    .distinct().toList();
            assertEquals(List.of("ticket.issued:1", "ticket.issued:3", "gap:2"), events,
                    "the gap takes the event's place in the outbox; it is published with the next batch");
        }
    }

    /** An event added before the publisher runs. */
    void addEventUnstarted(long seq) {
        Instant now = Instant.now();
        byte[] payload = Json.bytes(PAYLOADS.event(java.util.Map.of("seq", seq, "type", "ticket.issued", "time",
                now.toEpochMilli(), "ticket", String.format("A%03d", seq), "category", "A", "priority", "NORMAL",
                "actor", "DEVICE:kiosk-1")));
        outbox.add(OutboxMessage.of(Kind.EVENT, ROOT + "events/ticket.issued", payload, false, seq));
    }
}
