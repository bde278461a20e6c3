package org.openhall.mqtt.bridge.internal.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.Request;
import org.openhall.mqtt.bridge.internal.payload.DeviceHealth;
import org.openhall.mqtt.bridge.internal.publisher.Subscriber;
import org.openhall.queue.core.internal.engine.RealQueue;
import org.openhall.testsupport.Mosquitto;
import org.osgi.service.event.Event;

/**
 * A connection stops within a bound when its broker does not answer (issue 17, point 11: SIGTERM
 * with a stuck broker took 7.3 s; the README promises 5 s for the whole hall). The connection uses
 * the default timeout of 10 s, so a stop that waited for any broker answer would take that long.
 *
 * <p>These tests bound a hang, they do not measure speed: the bound (3 s, for a stop designed to
 * take at most about 2 s) is generous on purpose, so that a busy machine does not fail them; a
 * stop that waits for the broker takes 10 s or more and fails them.
 */
class LinkStopTest {

    /** Generous: the stop is designed to take at most about 2 s even with a stuck broker. */
    static final Duration STOP_BOUND = Duration.ofSeconds(3);
    static final long WAIT_MS = 30_000;
    static final String ROOT = "openhall/v1/" + RealQueue.HALL_ID;

    @TempDir
    Path tmp;
    RealQueue hall;
    Link link;
    final List<AutoCloseable> open = new ArrayList<>();

    /** Threads alive before the test: a connection of another test class may still be ending (Paho's connect timeout). */
    java.util.Set<Thread> before;

    @BeforeEach
    void start() throws Exception {
        before = java.util.Set.copyOf(Thread.getAllStackTraces().keySet());
        hall = new RealQueue(Files.createDirectories(tmp.resolve("queue")));
        open.add(hall);
        // Events straight to the connection, on the caller's thread (Event Admin is asynchronous
        // in the hall; Link.handle only queues them).
        hall.listen(props -> {
            Link l = link;
            if (l != null) {
                l.handle(new Event(QueueEvents.topic((String) props.get(QueueEvents.TYPE)), props));
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        if (link != null) {
            link.close();
            link = null;
        }
        for (AutoCloseable c : open) {
            c.close();
        }
        List<Thread> started = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                .filter(t -> t.getName().startsWith("mqtt-") || t.getName().startsWith("MQTT")).toList();
        // Paho ends its connect thread ("MQTT Con: …") of an attempt that close() cut short a
        // moment after close returns: each thread gets a bounded join, then none may be alive.
        for (Thread t : started) {
            t.join(5_000);
        }
        List<String> left = started.stream().filter(Thread::isAlive).map(Thread::getName).toList();
        assertTrue(left.isEmpty(), "no connection thread is left after close: " + left);
    }

    /** As the demo hall's local connection: events, state, commands, the default timeout of 10 s. */
    Link startLink(String uri) throws Exception {
        Map<String, Object> props = new HashMap<>(Map.of("service.pid", "org.openhall.mqtt.connection~local", "uri", uri,
                "acceptsCommands", "true", "backoff.initialMillis", "50", "backoff.maxMillis", "200"));
        ConnectionConfig config = ConnectionConfig.parse(props);
        assertEquals(Duration.ofSeconds(10), config.timeout(), "the default timeout");
        link = new Link(config, hall.queue(), hall.history(), tmp.resolve("data"), new Link.Context() {
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
        return link;
    }

    /** Closes the link and returns how long that took. */
    Duration timedClose() {
        Link l = link;
        link = null;
        long t0 = System.nanoTime();
        l.close();
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    void issue(int n) {
        for (int i = 0; i < n; i++) {
            assertTrue(hall.queue().issueTicket(Request.by(Actor.device("kiosk-1"), UUID.randomUUID().toString()), "A",
                    PriorityClass.NORMAL, null).isOk());
        }
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10); // poll interval: the loop re-checks the condition
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** A TCP listener that accepts connections and then never reads nor answers (a hung broker). */
    static final class SilentListener implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<Socket> accepted = new CopyOnWriteArrayList<>();
        final Thread thread = new Thread(this::run, "silent-broker");

        SilentListener() throws IOException {
            thread.setDaemon(true);
            thread.start();
        }

        String uri() {
            return "tcp://127.0.0.1:" + server.getLocalPort();
        }

        private void run() {
            while (!server.isClosed()) {
                try {
                    accepted.add(server.accept());
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(2000);
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void stopsInTimeWhileConnectingToABrokerThatAcceptsAndNeverAnswers() throws Exception {
        SilentListener silent = new SilentListener();
        open.add(0, silent);
        startLink(silent.uri());
        issue(5);
        // Paho has sent CONNECT and waits for the CONNACK (up to the 10 s timeout).
        await("the connection accepted by the silent broker", () -> !silent.accepted.isEmpty());
        Duration took = timedClose();
        assertTrue(took.compareTo(STOP_BOUND) < 0, "stopped in " + took.toMillis() + " ms with a broker that never answers");
    }

    @Test
    void stopsInTimeWhenTheBrokerHangsWhileConnected() throws Exception {
        Mosquitto broker = new Mosquitto(Files.createDirectories(tmp.resolve("broker")));
        open.add(0, broker);
        broker.start();
        Subscriber screen = new Subscriber(broker.uri(), "screen", ROOT + "/events/#", false);
        open.add(0, screen);
        startLink(broker.uri());
        await("connected", () -> "connected".equals(link.state()));
        issue(3);
        for (int i = 0; i < 3; i++) {
            assertTrue(screen.next("events/ticket.issued", WAIT_MS) != null, "the events before the hang delivered");
        }

        broker.suspend(); // SIGSTOP: the TCP connection stays open, nothing is read or answered
        open.add(0, broker::resume); // before close() kills it: SIGKILL works on a stopped process too
        issue(50); // published, never acknowledged: the publisher waits for PUBACKs
        Duration took = timedClose();
        assertTrue(took.compareTo(STOP_BOUND) < 0, "stopped in " + took.toMillis() + " ms with a SIGSTOPped Mosquitto");
    }

    @Test
    void aNormalStopDeliversWhatIsInFlightAndLosesNothing() throws Exception {
        Mosquitto broker = new Mosquitto(Files.createDirectories(tmp.resolve("broker")));
        open.add(0, broker);
        broker.start();
        Subscriber screen = new Subscriber(broker.uri(), "screen", ROOT + "/#", false);
        open.add(0, screen);
        startLink(broker.uri());
        await("connected", () -> "connected".equals(link.state()));
        issue(200);
        Subscriber.Received first = screen.next("events/ticket.issued", WAIT_MS);
        assertTrue(first != null, "publishing is under way");
        Duration took = timedClose(); // while the events are being published
        assertTrue(took.compareTo(STOP_BOUND) < 0, "stopped in " + took.toMillis() + " ms");

        // Everything up to the stop arrived in order, then the hall's own offline status (not the
        // broker's Last Will: the connection said goodbye), and what had not been sent yet went
        // out after a restart: no event lost, none twice (the day's hall.opened is one of them).
        List<Long> seqs = new ArrayList<>(List.of(seq(first)));
        boolean offline = false;
        Subscriber.Received r;
        while ((r = screen.received.poll(2, TimeUnit.SECONDS)) != null) {
            if (r.topic().endsWith("/status") && r.payload().contains("\"online\":false")) {
                offline = true;
                break;
            }
            if (r.topic().contains("/events/")) {
                seqs.add(seq(r));
            }
        }
        assertTrue(offline, "the offline status was published at the stop");
        startLink(broker.uri());
        while (seqs.size() < 201 && (r = screen.next("", WAIT_MS)) != null) {
            if (r.topic().contains("/events/")) {
                seqs.add(seq(r));
            }
        }
        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= 201; i++) {
            expected.add(i);
        }
        assertEquals(expected, seqs.stream().sorted().toList(), "every event once across the stop");
        List<Long> afterFirst = seqs.subList(1, seqs.size());
        assertEquals(afterFirst.stream().sorted().toList(), afterFirst, "in order");
    }

    static long seq(Subscriber.Received r) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.payload()).get("seq").asLong();
    }

    @Test
    void stopsInTimeWhenTheBrokerHangsWhileIdle() throws Exception {
        Mosquitto broker = new Mosquitto(Files.createDirectories(tmp.resolve("broker")));
        open.add(0, broker);
        broker.start();
        startLink(broker.uri());
        await("connected", () -> "connected".equals(link.state()));
        issue(1);
        await("the outbox drained", () -> link.queued() == 0);

        broker.suspend();
        open.add(0, broker::resume);
        // Nothing in flight: only the offline status at the stop meets the hung broker.
        Duration took = timedClose();
        assertTrue(took.compareTo(STOP_BOUND) < 0, "stopped in " + took.toMillis() + " ms with a SIGSTOPped Mosquitto");
    }
}
