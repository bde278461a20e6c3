package org.openhall.mqtt.bridge.internal.component;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.api.queue.QueueEvents;
import org.openhall.mqtt.bridge.internal.payload.DeviceHealth;
import org.openhall.mqtt.bridge.internal.payload.Json;
import org.openhall.mqtt.bridge.internal.publisher.ExampleBroker;
import org.openhall.mqtt.bridge.internal.publisher.ExampleBroker.Client;
import org.openhall.mqtt.bridge.internal.publisher.Subscriber;
import org.openhall.queue.core.internal.engine.RealQueue;
import org.osgi.service.event.Event;

/**
 * The hall's real connection ({@link Link}: outbox, publisher, command inbox, the real queue core)
 * on Mosquitto with the example configuration, as the hall's `local` connection: user
 * {@code openhall}, the hall's client id, commands accepted. A kiosk's commands are run and
 * answered within its rights; intruders with the hall's client id do not throw it off.
 */
class LinkMosquittoExampleTest {

    static final long WAIT_MS = 30_000;
    static final String ROOT = "openhall/v1/" + RealQueue.HALL_ID;
    static final String HALL_CLIENT_ID = "openhall-" + RealQueue.HALL_ID + "-local";

    @TempDir
    Path tmp;
    ExampleBroker example;
    RealQueue hall;
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        example = ExampleBroker.start(Files.createDirectories(tmp.resolve("broker")), c -> c);
        open.add(example.broker);
        hall = new RealQueue(Files.createDirectories(tmp.resolve("queue")));
        open.add(0, hall);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    Link link() throws Exception {
        Map<String, Object> p = new HashMap<>(Map.of("service.pid", "org.openhall.mqtt.connection~local", "uri",
                "tcp://127.0.0.1:" + example.port, "clientId", HALL_CLIENT_ID, "username", "openhall", "password",
                ExampleBroker.password("openhall"), "acceptsCommands", "true", "publish", "state,events",
                "backoff.initialMillis", "50", "backoff.maxMillis", "200", "timeoutSeconds", "5"));
        Link l = new Link(ConnectionConfig.parse(p), hall.queue(), hall.history(), tmp.resolve("data"), new Link.Context() {
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
        open.add(0, l);
        hall.listen(props -> l.handle(new Event(QueueEvents.topic((String) props.get(QueueEvents.TYPE)), props)));
        return l;
    }

    Client client(String clientId, String user) throws MqttException {
        Client c = new Client("tcp://127.0.0.1:" + example.port, clientId, user,
                user == null ? null : ExampleBroker.password(user), false, null);
        open.add(0, c);
        return c;
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

    static String field(Subscriber.Received r, String name) {
        return Json.read(r.payload().getBytes(UTF_8)).get(name).toString();
    }

    @Test
    void theHallRunsOnlyTheKiosksOwnCommandsAndIntrudersDoNotThrowItOff() throws Exception {
        Link l = link();
        await("the hall connected", () -> "connected".equals(l.state()));
        try (Subscriber screen = new Subscriber("tcp://127.0.0.1:" + example.port, "screen-1", ROOT + "/status", false,
                "screen1", ExampleBroker.password("screen1"))) {
            Subscriber.Received online = screen.next("/status", WAIT_MS);
            assertNotNull(online, "the hall's retained status");
            assertTrue(online.payload().contains("\"online\":true"), online.payload());

            // Intruders: anonymous with the hall's client id is refused; a kiosk's user with it is kiosk1.
            MqttException refused = assertThrows(MqttException.class, () -> client(HALL_CLIENT_ID, null));
            assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, refused.getReasonCode(), String.valueOf(refused));
            client(HALL_CLIENT_ID, "kiosk1").close();

            Client kiosk = client("kiosk-1", "kiosk1").subscribe(ROOT + "/replies/kiosk1/#");
            kiosk.publish(ROOT + "/commands/call-next", "{\"requestId\":\"k1\",\"clientId\":\"kiosk1\",\"window\":\"1\"}");
            kiosk.publish(ROOT + "/commands/issue-ticket",
                    "{\"requestId\":\"k2\",\"clientId\":\"kiosk1\",\"category\":\"A\"}");
            Subscriber.Received reply = kiosk.next(WAIT_MS);
            assertNotNull(reply, "the kiosk's issue-ticket was run and answered");
            assertEquals(ROOT + "/replies/kiosk1", reply.topic());
            assertEquals("\"k2\"", field(reply, "requestId"), "the kiosk's call-next never reached the hall: " + reply);
            assertEquals("true", field(reply, "ok"), reply.payload());

            assertEquals("connected", l.state(), "last error: " + l.lastError());
            // The reply arrived; its PUBACK is recorded in the outbox a moment later.
            await("everything acknowledged", () -> l.queued() == 0);
            for (Subscriber.Received r : screen.received) {
                assertFalse(r.payload().contains("\"online\":false"),
                        "the hall was never thrown off (its Last Will, then its status again): " + r.payload());
            }
        }
    }
}
