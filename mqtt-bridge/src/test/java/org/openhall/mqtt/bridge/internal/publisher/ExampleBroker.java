package org.openhall.mqtt.bridge.internal.publisher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.openhall.testsupport.Mosquitto;

/**
 * A real Mosquitto with the example configuration of mqtt-bridge/mosquitto/ ({@code openhall.conf},
 * {@code openhall.acl}), only its ports and paths replaced, and a password file made by
 * {@code mosquitto_passwd} with the users {@value #USERS_TEXT}, each with the password
 * {@code <user>-secret}.
 */
public final class ExampleBroker {

    public static final Path EXAMPLE = Path.of(System.getProperty("user.dir"), "mosquitto");
    public static final List<String> USERS = List.of("openhall", "kiosk1", "caller1", "screen1", "cloud");
    static final String USERS_TEXT = "openhall, kiosk1, caller1, screen1, cloud";

    public final Mosquitto broker;
    public final int port;
    public final int wsPort;

    private ExampleBroker(Mosquitto broker, int port, int wsPort) {
        this.broker = broker;
        this.port = port;
        this.wsPort = wsPort;
    }

    public static String password(String user) {
        return user + "-secret";
    }

    /** Starts it in {@code dir}; {@code edit} may change the configuration (a control run). Close its broker. */
    public static ExampleBroker start(Path dir, UnaryOperator<String> edit) throws Exception {
        int port = Mosquitto.freePort();
        int wsPort = Mosquitto.freePort();
        String conf = Files.readString(EXAMPLE.resolve("openhall.conf"), StandardCharsets.UTF_8)
                .replace("/etc/mosquitto/openhall.passwd", dir.resolve("openhall.passwd").toString())
                .replace("/etc/mosquitto/openhall.acl", EXAMPLE.resolve("openhall.acl").toString())
                .replace("\nlistener 1883\n", "\nlistener " + port + " 127.0.0.1\n")
                .replace("\nlistener 8083\n", "\nlistener " + wsPort + " 127.0.0.1\n")
                + "\nuser root\nlog_dest file " + dir.resolve("mosquitto.log") + "\nlog_type all\n";
        assertTrue(conf.contains("listener " + port + " ") && conf.contains("listener " + wsPort + " "),
                "both listeners of the example were found");
        for (String user : USERS) {
            passwd(dir, user.equals(USERS.get(0)), user);
        }
        Mosquitto broker = Mosquitto.configured(dir, edit.apply(conf), port, wsPort);
        try {
            broker.start();
        } catch (Exception | AssertionError e) {
            broker.close();
            throw e;
        }
        return new ExampleBroker(broker, port, wsPort);
    }

    private static void passwd(Path dir, boolean create, String user) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("mosquitto_passwd"));
        if (create) {
            cmd.add("-c");
        }
        cmd.addAll(List.of("-b", dir.resolve("openhall.passwd").toString(), user, password(user)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "mosquitto_passwd " + user + ": " + out);
    }

    /** One MQTT client: what it receives, and how often it lost its connection. */
    public static final class Client implements AutoCloseable {
        public final MqttClient mqtt;
        public final BlockingQueue<Subscriber.Received> received = new LinkedBlockingQueue<>();
        public final AtomicInteger lost = new AtomicInteger();

        public Client(String uri, String clientId, String user, String password, boolean persistent, String willTopic)
                throws MqttException {
            mqtt = new MqttClient(uri, clientId, new MemoryPersistence());
            mqtt.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                    lost.incrementAndGet();
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    received.add(new Subscriber.Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
                            message.isRetained()));
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                    // publish() waits for the acknowledgement
                }
            });
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(!persistent);
            o.setConnectionTimeout(5);
            o.setAutomaticReconnect(false); // a lost connection stays lost: the test counts it
            // No fall-back to MQTT 3.1 after a refusal: over WebSocket, Paho 1.2.5's second attempt
            // fails with "Already connected" and hides the broker's reason.
            o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            if (user != null) {
                o.setUserName(user);
                o.setPassword(password.toCharArray());
            }
            if (willTopic != null) {
                o.setWill(willTopic, "{\"online\":false}".getBytes(StandardCharsets.UTF_8), 1, true);
            }
            mqtt.connect(o);
        }

        /** QoS 1, returns after the broker's acknowledgement (an ACL denial is acknowledged too). */
        public void publish(String topic, String payload, boolean retained) throws MqttException {
            MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            m.setRetained(retained);
            mqtt.publish(topic, m);
        }

        public void publish(String topic, String payload) throws MqttException {
            publish(topic, payload, false);
        }

        public Client subscribe(String filter) throws MqttException {
            mqtt.subscribe(filter, 1);
            return this;
        }

        /** The next message whose topic matches, within the timeout, else null; others are skipped. */
        public Subscriber.Received next(java.util.function.Predicate<String> topic, long timeoutMillis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (true) {
                Subscriber.Received r = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (r == null || topic.test(r.topic())) {
                    return r;
                }
            }
        }

        public Subscriber.Received next(long timeoutMillis) throws InterruptedException {
            return next(t -> true, timeoutMillis);
        }

        @Override
        public void close() throws MqttException {
            if (mqtt.isConnected()) {
                mqtt.disconnect(1000);
            }
            mqtt.close(true);
        }
    }

}
