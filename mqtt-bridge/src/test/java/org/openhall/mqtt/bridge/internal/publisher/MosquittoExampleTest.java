package org.openhall.mqtt.bridge.internal.publisher;

import org.openhall.testsupport.Mosquitto;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example Mosquitto configuration shipped in mqtt-bridge/mosquitto/ does what the embedded
 * broker does: run with exactly those two files (only the ports and paths replaced), anonymous
 * clients read but cannot publish commands or spoof events; password users can.
 */
class MosquittoExampleTest {

    static final Path EXAMPLE = Path.of(System.getProperty("user.dir"), "mosquitto");
    static final String ROOT = "openhall/v1/demo/";

    @TempDir
    Path dir;

    Process mosquitto;

    @AfterEach
    void stop() throws InterruptedException {
        if (mosquitto != null) {
            mosquitto.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    int start() throws Exception {
        int port = freePort();
        String conf = Files.readString(EXAMPLE.resolve("openhall.conf"), StandardCharsets.UTF_8)
                .replace("/etc/mosquitto/openhall.passwd", dir.resolve("openhall.passwd").toString())
                .replace("/etc/mosquitto/openhall.acl", EXAMPLE.resolve("openhall.acl").toString())
                .replace("listener 1883", "listener " + port + " 127.0.0.1")
                .replace("listener 8083", "listener " + freePort() + " 127.0.0.1")
                + "\nuser root\n";
        Files.writeString(dir.resolve("openhall.conf"), conf);
        passwd("-c", "openhall", "hall-secret");
        passwd(null, "kiosk1", "kiosk-secret");
        mosquitto = new ProcessBuilder(Mosquitto.BINARY.toString(), "-c", dir.resolve("openhall.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return port;
            } catch (IOException notYet) {
                if (mosquitto.waitFor(20, TimeUnit.MILLISECONDS)) {
                    fail("mosquitto exited: " + Files.readString(dir.resolve("mosquitto.out")));
                }
            }
        }
        throw new AssertionError("mosquitto did not listen within 10 s");
    }

    void passwd(String flag, String user, String password) throws Exception {
        ProcessBuilder pb = flag == null
                ? new ProcessBuilder("mosquitto_passwd", "-b", dir.resolve("openhall.passwd").toString(), user, password)
                : new ProcessBuilder("mosquitto_passwd", flag, "-b", dir.resolve("openhall.passwd").toString(), user, password);
        Process p = pb.redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "mosquitto_passwd " + user);
    }

    static MqttClient client(int port, String id, String user, String password) throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        if (user != null) {
            o.setUserName(user);
            o.setPassword(password.toCharArray());
        }
        c.connect(o);
        return c;
    }

    /** Publishes with QoS 1 and waits for the broker's acknowledgement (an ACL denial is acknowledged too). */
    static void publish(MqttClient c, String topic, String payload) throws Exception {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        c.publish(topic, m);
    }

    @Test
    void anonymousClientsReadButOnlyPasswordUsersPublishCommandsAndOnlyTheHallPublishesEvents() throws Exception {
        int port = start();
        MqttClient hall = client(port, "openhall-bridge", "openhall", "hall-secret");
        MqttClient anonymous = client(port, "screen-1", null, null);
        MqttClient kiosk = client(port, "kiosk-1", "kiosk1", "kiosk-secret");
        try (Subscriber commands = new Subscriber("tcp://127.0.0.1:" + port, "bridge-commands", ROOT + "commands/+", false,
                "openhall", "hall-secret");
                Subscriber screen = new Subscriber("tcp://127.0.0.1:" + port, "screen-2", "openhall/#", false);
                Subscriber dashboard = new Subscriber("tcp://127.0.0.1:" + port, "dashboard-1", "openhall/#", false,
                        "kiosk1", "kiosk-secret")) {
            // Anonymous attempts first, each acknowledged before the next message is sent, so
            // the first message a subscriber receives shows whether they got through.
            publish(anonymous, ROOT + "commands/issue-ticket", "{\"requestId\":\"anonymous\"}");
            publish(anonymous, ROOT + "events/ticket.issued", "{\"seq\":999,\"spoofed\":true}");
            publish(kiosk, ROOT + "commands/open-window", "{\"requestId\":\"kiosk\",\"credential\":\"1234\"}");
            publish(kiosk, ROOT + "events/ticket.issued", "{\"seq\":998,\"spoofed\":true}");
            publish(hall, ROOT + "replies/kiosk-1", "{\"requestId\":\"kiosk\",\"ok\":true}");
            publish(hall, ROOT + "events/ticket.issued", "{\"seq\":1}");

            Subscriber.Received command = commands.next("commands/open-window", 10_000);
            assertNotNull(command, "the kiosk's command arrived");
            assertEquals("{\"requestId\":\"kiosk\",\"credential\":\"1234\"}", command.payload(),
                    "the anonymous command was refused");
            Subscriber.Received first = screen.next("", 10_000);
            assertNotNull(first, "an anonymous screen reads the hall's events");
            assertEquals(ROOT + "events/ticket.issued {\"seq\":1}", first.topic() + " " + first.payload(),
                    "an anonymous subscriber of openhall/# gets neither the command (it carries a PIN) nor the reply,"
                            + " and only the hall itself publishes events");
            // A user with a password reads them all, in order.
            assertEquals(ROOT + "commands/open-window", dashboard.next("", 10_000).topic());
            assertEquals(ROOT + "replies/kiosk-1", dashboard.next("", 10_000).topic());
            assertEquals(ROOT + "events/ticket.issued", dashboard.next("", 10_000).topic());
        } finally {
            for (MqttClient c : new MqttClient[] { hall, anonymous, kiosk }) {
                c.disconnect();
                c.close();
            }
        }
    }
}
