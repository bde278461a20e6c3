package org.openhall.mqtt.bridge.internal.publisher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.mqtt.bridge.internal.publisher.ExampleBroker.Client;
import org.openhall.testsupport.Mosquitto;

/**
 * The example Mosquitto configuration shipped in mqtt-bridge/mosquitto/, run with exactly those
 * two files (only ports and paths replaced) and a password file made by {@code mosquitto_passwd}:
 * only the hall's user publishes under the hall's root (commands aside); each device's user
 * publishes only its own commands; anonymous clients are refused; nobody can take the hall's
 * client id and throw the hall off.
 *
 * <p>Each user has one connection at a time here: the configuration makes the user name the
 * client id ({@code use_username_as_clientid}), so a second connection of a user replaces its
 * first.
 */
class MosquittoExampleTest {

    static final String ROOT = "openhall/v1/demo/";
    /** The hall's own client id, as the demo hall's `local` connection has it. */
    static final String HALL_CLIENT_ID = "openhall-demo-local";
    static final long WAIT_MS = 10_000;
    /** How long a client waits for a message that must not come, after a message that must. */
    static final long QUIET_MS = 300;

    @TempDir
    Path dir;

    Mosquitto broker;
    int wsPort;
    final List<Client> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Client c : clients) {
            c.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** Mosquitto with the example files; {@code edit} may change the configuration (a control run). */
    int start(UnaryOperator<String> edit) throws Exception {
        ExampleBroker example = ExampleBroker.start(dir, edit);
        broker = example.broker;
        wsPort = example.wsPort;
        return example.port;
    }

    int start() throws Exception {
        return start(c -> c);
    }

    Client client(int port, String clientId, String user) throws MqttException {
        return client("tcp://127.0.0.1:" + port, clientId, user, false);
    }

    Client client(String uri, String clientId, String user, boolean persistent) throws MqttException {
        Client c = new Client(uri, clientId, user, user == null ? null : ExampleBroker.password(user), persistent,
                null);
        clients.add(c);
        return c;
    }

    /** The hall controller as its `local` connection connects: its client id, persistent session, Last Will. */
    Client hall(int port) throws MqttException {
        Client c = new Client("tcp://127.0.0.1:" + port, HALL_CLIENT_ID, "openhall", ExampleBroker.password("openhall"),
                true, ROOT + "status");
        clients.add(c);
        return c.subscribe(ROOT + "commands/+");
    }

    static void refused(int port, String clientId) {
        MqttException e = assertThrows(MqttException.class,
                () -> new Client("tcp://127.0.0.1:" + port, clientId, null, null, false, null).close(),
                "an anonymous client with client id " + clientId + " is refused");
        assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, e.getReasonCode(), String.valueOf(e));
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

    @Test
    void onlyTheHallPublishesUnderItsRootAndAnonymousClientsAreRefused() throws Exception {
        int port = start();
        Client hall = hall(port);
        hall.publish(ROOT + "status", "{\"online\":true}", true);
        hall.publish(ROOT + "categories/A", "{\"waiting\":3}", true);
        Client screen = client(port, "screen-1", "screen1").subscribe("openhall/#");
        assertNotNull(screen.next(t -> t.endsWith("/categories/A"), WAIT_MS), "the screen reads the retained state");

        refused(port, "spoofer");
        refused(port, HALL_CLIENT_ID);
        // Each spoofing attempt is acknowledged before the next message is sent, so the first
        // message the screen receives after them shows whether any got through.
        for (String user : new String[] { "kiosk1", "caller1", "cloud" }) {
            Client c = client(port, user + "-x", user);
            c.publish(ROOT + "events/ticket.called", "{\"seq\":999,\"ticket\":\"A001\",\"announcement\":\"FAKE\"}");
            c.publish(ROOT + "status", "{\"online\":false}", true);
            c.publish(ROOT + "categories/A", "{\"waiting\":999}", true);
            c.publish(ROOT + "replies/screen1", "{\"requestId\":\"x\",\"ok\":true}");
        }
        hall.publish(ROOT + "events/ticket.issued", "{\"seq\":1}");

        Subscriber.Received first = screen.next(WAIT_MS);
        assertNotNull(first, "the screen reads the hall's events");
        assertEquals(ROOT + "events/ticket.issued {\"seq\":1}", first.topic() + " " + first.payload(),
                "no spoofed event, status, state or reply reached the screen before the hall's own event");
        assertEquals(0, hall.lost.get(), "the hall stayed connected");

        Client cloud = client(port, "cloud-reader", "cloud").subscribe(ROOT + "+");
        cloud.subscribe(ROOT + "categories/+");
        List<String> retained = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Subscriber.Received r = cloud.next(WAIT_MS);
            assertNotNull(r, "retained message " + (i + 1) + " of 2");
            retained.add(r.topic() + " " + r.payload());
        }
        retained.sort(null);
        assertEquals(List.of(ROOT + "categories/A {\"waiting\":3}", ROOT + "status {\"online\":true}"), retained,
                "the retained state is the hall's, not overwritten");
        assertNull(cloud.next(QUIET_MS), "nothing else retained");
    }

    @Test
    void eachDevicePublishesOnlyItsOwnCommandsAndReadsOnlyItsOwnReplies() throws Exception {
        int port = start();
        Client hall = hall(port);
        Client kiosk = client(port, "kiosk-1", "kiosk1").subscribe("openhall/#");
        Client caller = client(port, "caller-1", "caller1").subscribe("openhall/#");
        Client screen = client(port, "screen-1", "screen1").subscribe("openhall/#");

        kiosk.publish(ROOT + "commands/call-next", "{\"requestId\":\"k1\",\"clientId\":\"kiosk1\",\"window\":\"1\"}");
        kiosk.publish(ROOT + "commands/open-window", "{\"requestId\":\"k2\",\"clientId\":\"kiosk1\"}");
        kiosk.publish(ROOT + "commands/issue-ticket", "{\"requestId\":\"k3\",\"clientId\":\"kiosk1\",\"category\":\"A\"}");
        assertEquals("{\"requestId\":\"k3\",\"clientId\":\"kiosk1\",\"category\":\"A\"}", hall.next(WAIT_MS).payload(),
                "a kiosk's call-next and open-window never reach the hall; its issue-ticket does");
        kiosk.publish(ROOT + "commands/check-in", "{\"requestId\":\"k4\"}");
        assertEquals(ROOT + "commands/check-in", hall.next(WAIT_MS).topic(), "a kiosk checks in appointments");

        caller.publish(ROOT + "commands/issue-ticket", "{\"requestId\":\"c1\"}");
        caller.publish(ROOT + "commands/evaluate", "{\"requestId\":\"c2\"}");
        caller.publish(ROOT + "commands/call-next", "{\"requestId\":\"c3\",\"clientId\":\"caller1\",\"window\":\"1\"}");
        Subscriber.Received fromCaller = hall.next(WAIT_MS);
        assertNotNull(fromCaller, "the caller's call-next reached the hall");
        assertEquals(ROOT + "commands/call-next {\"requestId\":\"c3\",\"clientId\":\"caller1\",\"window\":\"1\"}",
                fromCaller.topic() + " " + fromCaller.payload(), "no issue-ticket or evaluate from a caller");
        screen.publish(ROOT + "commands/issue-ticket", "{\"requestId\":\"s1\"}");
        kiosk.publish(ROOT + "commands/issue-ticket", "{\"requestId\":\"k5\"}");
        assertEquals("{\"requestId\":\"k5\"}", hall.next(WAIT_MS).payload(), "a screen publishes no command");

        // Replies: each device reads its own, nobody but the hall reads commands.
        hall.publish(ROOT + "replies/caller1", "{\"requestId\":\"c3\",\"ok\":true}");
        hall.publish(ROOT + "replies/kiosk1/k3", "{\"requestId\":\"k3\",\"ok\":true}");
        hall.publish(ROOT + "replies/kiosk1", "{\"requestId\":\"k5\",\"ok\":true}");
        hall.publish(ROOT + "events/ticket.issued", "{\"seq\":1}");
        java.util.function.Predicate<String> commandOrReply = t -> t.contains("/commands/") || t.contains("/replies/");
        assertEquals(ROOT + "replies/kiosk1/k3", kiosk.next(commandOrReply, WAIT_MS).topic(),
                "the kiosk reads neither commands nor the caller's reply, and its replyTo below replies/kiosk1/");
        assertEquals(ROOT + "replies/kiosk1", kiosk.next(commandOrReply, WAIT_MS).topic());
        assertEquals(ROOT + "replies/caller1", caller.next(commandOrReply, WAIT_MS).topic(),
                "the caller reads its reply and no command");
        assertEquals(ROOT + "events/ticket.issued", screen.next(WAIT_MS).topic(),
                "the screen reads events, no command, no reply");
        assertNull(caller.next(commandOrReply, QUIET_MS), "the caller reads nobody else's reply");
    }

    @Test
    void nobodyCanTakeTheHallsClientIdAndThrowItOff() throws Exception {
        int port = start();
        Client hall = hall(port);
        hall.publish(ROOT + "status", "{\"online\":true}", true);
        Client screen = client(port, "screen-1", "screen1").subscribe(ROOT + "status");
        assertEquals("{\"online\":true}", screen.next(WAIT_MS).payload());

        refused(port, HALL_CLIENT_ID);
        refused(port, "openhall");
        // A device's user with the hall's client id (or the hall's user name as one) is itself:
        // its client id becomes its user name, kiosk1.
        client("tcp://127.0.0.1:" + port, HALL_CLIENT_ID, "kiosk1", true).close();
        Client kiosk = client("tcp://127.0.0.1:" + port, "openhall", "kiosk1", true);

        // The hall's session is intact: it receives a command, and its own publication is acknowledged.
        kiosk.publish(ROOT + "commands/issue-ticket", "{\"requestId\":\"after\"}");
        Subscriber.Received command = hall.next(WAIT_MS);
        assertNotNull(command, "the hall still holds its command subscription");
        assertEquals("{\"requestId\":\"after\"}", command.payload());
        hall.publish(ROOT + "events/ticket.issued", "{\"seq\":1}");
        assertTrue(hall.mqtt.isConnected(), "the hall is connected");
        assertEquals(0, hall.lost.get(), "the hall never lost its connection");
        assertNull(screen.next(QUIET_MS), "the hall's Last Will (online:false) was not published");
    }

    /**
     * The control: without {@code use_username_as_clientid} the same intruder throws the hall off,
     * its Last Will says that the hall is offline. (What the example configuration prevents.)
     */
    @Test
    void withoutUseUsernameAsClientidADeviceThrowsTheHallOff() throws Exception {
        int port = start(conf -> {
            assertTrue(conf.contains("\nuse_username_as_clientid true\n"));
            return conf.replace("\nuse_username_as_clientid true\n", "\nuse_username_as_clientid false\n");
        });
        Client hall = hall(port);
        hall.publish(ROOT + "status", "{\"online\":true}", true);
        Client screen = client(port, "screen-1", "screen1").subscribe(ROOT + "status");
        assertEquals("{\"online\":true}", screen.next(WAIT_MS).payload());

        client(port, HALL_CLIENT_ID, "kiosk1");
        await("the hall lost its connection", () -> hall.lost.get() == 1);
        assertFalse(hall.mqtt.isConnected());
        Subscriber.Received will = screen.next(WAIT_MS);
        assertNotNull(will, "the hall's Last Will");
        assertEquals("{\"online\":false}", will.payload());
    }

    @Test
    void theWebSocketListenerAppliesTheSameRules() throws Exception {
        int port = start();
        Client hall = hall(port);
        String ws = "ws://127.0.0.1:" + wsPort + "/mqtt";
        MqttException e = assertThrows(MqttException.class,
                () -> new Client(ws, HALL_CLIENT_ID, null, null, false, null).close());
        assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, e.getReasonCode(), "anonymous over WebSocket: " + e);
        Client kiosk = client(ws, HALL_CLIENT_ID, "kiosk1", false);
        Client screen = client(ws, "screen-1", "screen1", false).subscribe("openhall/#");
        kiosk.publish(ROOT + "events/ticket.called", "{\"announcement\":\"FAKE\"}");
        kiosk.publish(ROOT + "commands/call-next", "{\"requestId\":\"k1\"}");
        kiosk.publish(ROOT + "commands/issue-ticket", "{\"requestId\":\"k2\"}");
        assertEquals("{\"requestId\":\"k2\"}", hall.next(WAIT_MS).payload(), "only the kiosk's own command");
        hall.publish(ROOT + "events/ticket.issued", "{\"seq\":1}");
        assertEquals(ROOT + "events/ticket.issued", screen.next(WAIT_MS).topic(), "no spoofed event, no command");
        assertEquals(0, hall.lost.get(), "the hall stayed connected");
    }

    /**
     * The hall's own publisher on the example's WebSocket listener: with its password it publishes;
     * with a wrong one the broker's reason is what it reports (not Paho's "Already connected").
     */
    @Test
    void theHallsPublisherSignsInOverWebSocketAndShowsWhyItWasRefused() throws Exception {
        int port = start();
        Client screen = client(port, "screen-1", "screen1").subscribe(ROOT + "events/#");
        String ws = "ws://127.0.0.1:" + wsPort + "/mqtt";
        try (org.openhall.mqtt.bridge.internal.outbox.Outbox outbox = org.openhall.mqtt.bridge.internal.outbox.Outbox
                .open(dir.resolve("outbox.db"), org.openhall.mqtt.bridge.internal.outbox.Outbox.DEFAULT_QUOTA,
                        ROOT + "events/gap", (from, to) -> "{}".getBytes(StandardCharsets.UTF_8))) {
            outbox.add(org.openhall.mqtt.bridge.internal.outbox.OutboxMessage.of(
                    org.openhall.mqtt.bridge.internal.outbox.OutboxMessage.Kind.EVENT, ROOT + "events/ticket.issued",
                    "{\"seq\":1}".getBytes(StandardCharsets.UTF_8), false, 1));
            try (OutboxPublisher wrong = publisher(outbox, ws, "wrong-secret")) {
                await("a refusal", () -> wrong.lastError() != null);
                assertTrue(wrong.lastError().contains("Not authorized"), "the broker's reason: " + wrong.lastError());
            }
            assertNull(screen.next(QUIET_MS), "nothing was published");
            try (OutboxPublisher right = publisher(outbox, ws, ExampleBroker.password("openhall"))) {
                Subscriber.Received r = screen.next(WAIT_MS);
                assertNotNull(r, "the event arrived over the WebSocket listener");
                assertEquals("{\"seq\":1}", r.payload());
            }
        }
    }

    static OutboxPublisher publisher(org.openhall.mqtt.bridge.internal.outbox.Outbox outbox, String uri, String password) {
        OutboxPublisher p = new OutboxPublisher(outbox, new OutboxPublisher.Settings(uri, HALL_CLIENT_ID, ROOT + "status",
                "{\"online\":false}".getBytes(StandardCharsets.UTF_8), java.time.Duration.ofSeconds(5),
                java.time.Duration.ofMillis(50), java.time.Duration.ofMillis(200)), () -> {
                }, new OutboxPublisher.Hooks() {
                    @Override
                    public void configure(MqttConnectOptions options) {
                        options.setUserName("openhall");
                        options.setPassword(password.toCharArray());
                    }
                });
        p.start();
        return p;
    }
}
