package org.openhall.mqtt.broker.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.api.config.Credentials;
import org.openhall.api.runtime.HallHome;

/**
 * The embedded broker component on free ports with real clients (Paho, and a raw socket for what
 * Paho never sends): edge cases of issue 17 point 4 and the hall's rules of issue 15.
 */
class EmbeddedBrokerEdgeTest {

    static final String ROOT = "openhall/v1/demo";

    @TempDir
    static Path dir;
    static BrokerComponent broker;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        port = freePort();
        broker = start(dir, props("port", port, "websocketPort", 0, "host", "127.0.0.1",
                "users", "openhall:" + hash("hall-pw") + ", kiosk1:" + hash("kiosk-pw") + ", caller1:" + hash("caller-pw")
                        + ", screen1:" + hash("screen-pw"),
                "hallUsers", "openhall", "permissions", "kiosk1: issue-ticket check-in"), port);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.deactivate();
        }
    }

    static BrokerComponent start(Path dir, Map<String, Object> props, int port) {
        BrokerComponent c = new BrokerComponent(home(dir), props);
        poll("the broker listening on " + port, () -> {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return c.runningNow();
            } catch (IOException notYet) {
                return false;
            }
        });
        return c;
    }

    @Test
    void aVerifiedPasswordIsNotDerivedAgainAtTheNextConnectAndAWrongOneIsStillRefused() throws Exception {
        long start = broker.passwordDerivations();
        try (MqttClient c = client("pw-cache-0", "screen1", "screen-pw")) {
            assertTrue(c.isConnected());
        }
        assertEquals(start + 1, broker.passwordDerivations(), "the first connect runs PBKDF2");
        for (int i = 1; i <= 3; i++) {
            try (MqttClient c = client("pw-cache-" + i, "screen1", "screen-pw")) {
                assertTrue(c.isConnected());
            }
        }
        assertEquals(start + 1, broker.passwordDerivations(), "reconnects with the same password do not");

        long refused = broker.refusals().get("credentials");
        for (String wrong : new String[] { "screen-pw ", "screen-p", "" }) {
            MqttException e = assertThrows(MqttException.class, () -> client("pw-cache-bad", "screen1", wrong).close());
            assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, e.getReasonCode(), wrong);
        }
        assertEquals(refused + 3, broker.refusals().get("credentials"));
        assertEquals(start + 4, broker.passwordDerivations(), "a wrong password always pays the derivation");
        try (MqttClient c = client("pw-cache-4", "screen1", "screen-pw")) {
            assertTrue(c.isConnected(), "a refused attempt does not evict the verified password");
        }
        assertEquals(start + 4, broker.passwordDerivations());
    }

    @Test
    void aChangedPasswordInTheConfigurationIsNeverTakenFromTheCacheAndOthersStayCached() throws Exception {
        Path own = Files.createDirectories(dir.resolve("pw-change"));
        int p = freePort();
        String kiosk = hash("kiosk-pw");
        BrokerComponent b = start(own, props("port", p, "websocketPort", 0, "host", "127.0.0.1",
                "users", "screen2:" + hash("old-pw") + ", kiosk2:" + kiosk), p);
        try {
            String uri = "tcp://127.0.0.1:" + p;
            client(uri, "change-1", "screen2", "old-pw", null).close();
            client(uri, "change-2", "kiosk2", "kiosk-pw", null).close();
            assertEquals(2, b.passwordDerivations());
            b.modified(props("port", p, "websocketPort", 0, "host", "127.0.0.1",
                    "users", "screen2:" + hash("new-pw") + ", kiosk2:" + kiosk));
            // The new configuration restarts the broker; wait for the old password to be refused.
            poll("the new configuration in force", () -> {
                try {
                    client(uri, "change-3", "screen2", "old-pw", null).close();
                    return false;
                } catch (MqttException e) {
                    return e.getReasonCode() == MqttException.REASON_CODE_FAILED_AUTHENTICATION;
                }
            });
            long after = b.passwordDerivations();
            client(uri, "change-4", "screen2", "new-pw", null).close();
            assertEquals(after + 1, b.passwordDerivations(), "the new password is derived once");
            client(uri, "change-5", "screen2", "new-pw", null).close();
            client(uri, "change-6", "kiosk2", "kiosk-pw", null).close();
            assertEquals(after + 1, b.passwordDerivations(),
                    "a user whose hash did not change stays verified across the broker's restart");
        } finally {
            b.deactivate();
        }
    }

    @Test
    void aUserNameWithoutPasswordIsBadCredentialsNotAnException() throws Exception {
        long before = broker.refusals().get("credentials");
        try (RawMqtt raw = new RawMqtt(port)) {
            raw.write(RawMqtt.connect("no-password", "kiosk1", null));
            RawMqtt.Packet connack = raw.read();
            assertNotNull(connack, "a CONNACK, not a closed connection");
            assertEquals(2, connack.type());
            assertEquals(4, connack.body()[1], "return code 4: bad user name or password");
        }
        assertEquals(before + 1, broker.refusals().get("credentials"));
    }

    @Test
    void aSubscribeBeforeTheConnackIsServed() throws Exception {
        try (RawMqtt raw = new RawMqtt(port); MqttClient hall = client("openhall-test-hall", "openhall", "hall-pw")) {
            raw.write(RawMqtt.connect("eager-screen", null, null), RawMqtt.subscribe(7, ROOT + "/events/#", 1));
            RawMqtt.Packet connack = raw.read();
            assertNotNull(connack);
            assertEquals(2, connack.type());
            assertEquals(0, connack.body()[1], "accepted");
            RawMqtt.Packet suback = raw.read();
            assertNotNull(suback, "a SUBACK, not a closed connection");
            assertEquals(9, suback.type());
            assertEquals(7, suback.body()[1]);
            assertEquals(1, suback.body()[2], "granted QoS 1");
            hall.publish(ROOT + "/events/ticket.issued", message("{\"seq\":1}", 1, false));
            RawMqtt.Packet publish = raw.read();
            assertNotNull(publish);
            assertEquals(3, publish.type());
            assertTrue(new String(publish.body(), UTF_8).contains("{\"seq\":1}"));
        }
    }

    @Test
    void aRepublishWithDupIsDeliveredAndAcknowledged() throws Exception {
        // Moquette 0.17 alone ends its session thread on this (retain(0) in publish2Subscribers).
        List<String> got = new CopyOnWriteArrayList<>();
        try (MqttClient screen = client("dup-screen", null, null)) {
            screen.subscribe("dup/test", 1, (t, m) -> got.add(new String(m.getPayload(), UTF_8)));
            try (RawMqtt raw = new RawMqtt(port)) {
                raw.write(RawMqtt.connect("dup-sender", null, null));
                assertEquals(2, raw.read().type());
                raw.write(RawMqtt.publish("dup/test", "again", 1, 42, true));
                RawMqtt.Packet puback = raw.read();
                assertNotNull(puback, "a PUBACK");
                assertEquals(4, puback.type());
                poll("the DUP message at the subscriber", () -> got.contains("again"));
            }
            try (MqttClient after = client("dup-sender", null, null)) {
                // the sender's session thread still works
                after.publish("dup/test", message("still", 1, false));
            }
            poll("the next message", () -> got.contains("still"));
        }
    }

    @Test
    void anAnonymousCommandIsAcknowledgedAndDroppedAndCountedOnce() throws Exception {
        List<String> commands = new CopyOnWriteArrayList<>();
        long before = broker.refusals().get("publish");
        try (MqttClient hall = client("openhall-test-hall-2", "openhall", "hall-pw");
                MqttClient anonymous = client("anonymous-kiosk", null, null)) {
            hall.subscribe(ROOT + "/commands/+", 1, (t, m) -> commands.add(t));
            // QoS 1: publish returns only with the PUBACK (Moquette alone never sent it: the client hung).
            anonymous.publish(ROOT + "/commands/issue-ticket", message("{}", 1, false));
            anonymous.publish(ROOT + "/commands/call-next", message("{}", 1, false));
            anonymous.publish("marker/anonymous-kiosk", message("m", 1, false));
        }
        assertEquals(List.of(), commands);
        assertEquals(before + 2, broker.refusals().get("publish"));
        assertTrue(broker.status().contains("publish="), broker.status());
    }

    @Test
    void mosquittoPubGetsItsPubackForARefusedCommand() throws Exception {
        // mosquitto_pub -q 1 exits only once its PUBACK came: Moquette alone left it waiting for ever.
        long before = broker.refusals().get("publish");
        Process p = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-V", "mqttv311",
                "-i", "anonymous-mosquitto-pub", "-q", "1", "-t", ROOT + "/commands/call-next", "-m", "{}")
                .redirectErrorStream(true).start();
        boolean exited = p.waitFor(20, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        assertTrue(exited, "mosquitto_pub (apt-get install mosquitto-clients) got its PUBACK and exited");
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), UTF_8));
        assertEquals(before + 1, broker.refusals().get("publish"));
    }

    @Test
    void onlyTheHallSpeaksForTheHall() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (MqttClient screen = client("spoof-screen", null, null)) {
            screen.subscribe(new String[] { ROOT + "/#", "marker/#" }, new int[] { 1, 1 },
                    new org.eclipse.paho.client.mqttv3.IMqttMessageListener[] { (t, m) -> seen.add(t), (t, m) -> seen.add(t) });
            for (String[] who : new String[][] { { "spoofer", null, null }, { "kiosk1-spoofer", "kiosk1", "kiosk-pw" } }) {
                try (MqttClient spoofer = client(who[0], who[1], who[2])) {
                    spoofer.publish(ROOT + "/events/ticket.called", message("{\"ticket\":\"A999\"}", 1, false));
                    spoofer.publish(ROOT + "/status", message("{\"online\":false}", 1, true));
                    spoofer.publish(ROOT + "/categories/A", message("{\"waiting\":999}", 1, true));
                    spoofer.publish(ROOT + "/replies/kiosk-9", message("{}", 0, false));
                    spoofer.publish("marker/" + who[0], message("m", 1, false));
                }
                poll("the marker of " + who[0], () -> seen.contains("marker/" + who[0]));
            }
            assertEquals(List.of("marker/spoofer", "marker/kiosk1-spoofer"), seen, "nothing spoofed reached the screen");
            try (MqttClient hall = client("openhall-demo-local", "openhall", "hall-pw")) {
                hall.publish(ROOT + "/status", message("{\"online\":true}", 1, false));
            }
            poll("the hall's own status", () -> seen.contains(ROOT + "/status"));
        }
        List<String> retained = new CopyOnWriteArrayList<>();
        try (MqttClient late = client("late-screen", null, null)) {
            late.subscribe(new String[] { ROOT + "/categories/+", "marker/#" }, new int[] { 1, 1 },
                    new org.eclipse.paho.client.mqttv3.IMqttMessageListener[] { (t, m) -> retained.add(t), (t, m) -> retained.add(t) });
            late.publish("marker/late", message("m", 1, false));
            poll("the late marker", () -> retained.contains("marker/late"));
            assertEquals(List.of("marker/late"), retained, "no spoofed retained category");
        }
    }

    @Test
    void theHallsClientIdsAreTheHallsAlone() throws Exception {
        long before = broker.refusals().get("clientId");
        MqttException anonymous = assertThrows(MqttException.class, () -> client("openhall-demo-local", null, null).close());
        assertEquals(MqttException.REASON_CODE_INVALID_CLIENT_ID, anonymous.getReasonCode());
        MqttException kiosk = assertThrows(MqttException.class, () -> client("openhall-demo-local", "kiosk1", "kiosk-pw").close());
        assertEquals(MqttException.REASON_CODE_INVALID_CLIENT_ID, kiosk.getReasonCode());
        assertEquals(before + 2, broker.refusals().get("clientId"));
        client("openhall-demo-local", "openhall", "hall-pw").close();
    }

    @Test
    void aKioskUserIssuesTicketsButCannotCallTheNext() throws Exception {
        List<String> commands = new CopyOnWriteArrayList<>();
        try (MqttClient hall = client("openhall-test-hall-3", "openhall", "hall-pw")) {
            hall.subscribe(ROOT + "/commands/+", 1, (t, m) -> commands.add(t.substring(t.lastIndexOf('/') + 1)));
            try (MqttClient kiosk = client("kiosk-a", "kiosk1", "kiosk-pw")) {
                kiosk.publish(ROOT + "/commands/call-next", message("{}", 1, false));
                kiosk.publish(ROOT + "/commands/finish", message("{}", 1, false));
                kiosk.publish(ROOT + "/commands/issue-ticket", message("{}", 1, false));
                kiosk.publish(ROOT + "/commands/check-in", message("{}", 1, false));
            }
            try (MqttClient caller = client("caller-a", "caller1", "caller-pw")) {
                caller.publish(ROOT + "/commands/call-next", message("{}", 1, false)); // no entry: every command
            }
            poll("the caller's call-next", () -> commands.contains("call-next"));
        }
        assertEquals(List.of("issue-ticket", "check-in", "call-next"), commands);
    }

    // --- helpers

    static MqttClient client(String id, String user, String password) throws MqttException {
        return client("tcp://127.0.0.1:" + port, id, user, password, null);
    }

    static MqttClient client(String uri, String id, String user, String password, javax.net.SocketFactory sockets)
            throws MqttException {
        MqttClient c = new MqttClient(uri, id, new MemoryPersistence()) {
            @Override
            public void close() throws MqttException {
                if (isConnected()) {
                    disconnectForcibly(0, 1000);
                }
                super.close(true);
            }
        };
        c.setTimeToWait(10_000);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setConnectionTimeout(10);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1); // no second attempt with 3.1 after a refusal
        if (user != null) {
            o.setUserName(user);
            o.setPassword(password.toCharArray());
        }
        if (sockets != null) {
            o.setSocketFactory(sockets);
        }
        try {
            c.connect(o);
        } catch (MqttException e) {
            c.close();
            throw e;
        }
        return c;
    }

    static MqttMessage message(String payload, int qos, boolean retained) {
        MqttMessage m = new MqttMessage(payload.getBytes(UTF_8));
        m.setQos(qos);
        m.setRetained(retained);
        return m;
    }

    static void poll(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    static <T> T pollFor(String what, java.util.function.Supplier<java.util.Optional<T>> attempt) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            java.util.Optional<T> r = attempt.get();
            if (r.isPresent()) {
                return r.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    static Map<String, Object> props(Object... kv) {
        Map<String, Object> p = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            p.put((String) kv[i], String.valueOf(kv[i + 1]));
        }
        return p;
    }

    static String hash(String password) {
        return Credentials.hash(password, 1000);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static HallHome home(Path dir) {
        return new HallHome() {
            @Override
            public Path home() {
                return dir;
            }

            @Override
            public Path etc() {
                return dir.resolve("etc");
            }

            @Override
            public Path deploy() {
                return dir.resolve("deploy");
            }

            @Override
            public Path data() {
                try {
                    return Files.createDirectories(dir.resolve("data"));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
    }
}
