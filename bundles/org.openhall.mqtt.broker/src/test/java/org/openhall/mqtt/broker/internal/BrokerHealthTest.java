package org.openhall.mqtt.broker.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openhall.mqtt.broker.internal.EmbeddedBrokerEdgeTest.client;
import static org.openhall.mqtt.broker.internal.EmbeddedBrokerEdgeTest.message;
import static org.openhall.mqtt.broker.internal.EmbeddedBrokerEdgeTest.poll;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 point 3: a Moquette session thread that dies (as it did on an exception in a session
 * command) leaves its clients waiting for ever; the health check notices and restarts the broker.
 */
class BrokerHealthTest {

    @TempDir
    Path dir;

    @Test
    void aBrokerWithWedgedSessionThreadsIsRestartedAndServesAgain() throws Exception {
        int port = EmbeddedBrokerEdgeTest.freePort();
        BrokerComponent broker = EmbeddedBrokerEdgeTest.start(dir, EmbeddedBrokerEdgeTest.props("port", port,
                "websocketPort", 0, "host", "127.0.0.1", "healthCheck.intervalSeconds", 1, "healthCheck.timeoutSeconds", 2,
                "healthCheck.failures", 2), port);
        try {
            poll("a passing health check", () -> broker.status().contains("health check: ok at"));
            assertEquals(0, broker.restarts());
            int before = EmbeddedBrokerEdgeTest.port;
            EmbeddedBrokerEdgeTest.port = port; // the helpers' client() connects here
            try {
                broker.wedgeSessionThreadsForTest();
                poll("the restart", () -> broker.restarts() >= 1);
                // A fresh client connects, subscribes and receives again (poll: the restart may still be under way).
                List<String> got = new CopyOnWriteArrayList<>();
                MqttClient screen = EmbeddedBrokerEdgeTest.pollFor("a connection to the restarted broker", () -> {
                    try {
                        MqttClient c = client("screen-after-restart", null, null);
                        c.subscribe("hall/test", 1, (t, m) -> got.add(new String(m.getPayload(), UTF_8)));
                        return Optional.of(c);
                    } catch (Exception notYet) {
                        return Optional.empty();
                    }
                });
                try (screen; MqttClient sender = client("sender-after-restart", null, null)) {
                    sender.publish("hall/test", message("alive", 1, false));
                    poll("the message after the restart", () -> got.contains("alive"));
                }
                assertTrue(broker.status().contains("restarts: 1") || broker.restarts() >= 1, broker.status());
            } finally {
                EmbeddedBrokerEdgeTest.port = before;
            }
        } finally {
            broker.deactivate();
        }
        // A stopped broker leaves no thread behind: its own, Moquette's, Netty's and the probe's (Paho).
        poll("no broker thread left", () -> brokerThreads().isEmpty());
    }

    static List<String> brokerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("mqtt-broker") || n.startsWith("Session Executor") || n.startsWith("nioEventLoopGroup")
                        || n.startsWith("MQTT Call: openhall-broker-probe") || n.startsWith("MQTT Rec: openhall-broker-probe"))
                .toList();
    }

    @Test
    void aFailedSessionCommandNoLongerEndsItsThread() throws Exception {
        int port = EmbeddedBrokerEdgeTest.freePort();
        BrokerComponent broker = EmbeddedBrokerEdgeTest.start(dir, EmbeddedBrokerEdgeTest.props("port", port,
                "websocketPort", 0, "host", "127.0.0.1", "healthCheck.intervalSeconds", 0), port);
        int before = EmbeddedBrokerEdgeTest.port;
        EmbeddedBrokerEdgeTest.port = port;
        try {
            long failedBefore = io.moquette.broker.OpenHallAccess.failedSessionCommands();
            broker.failOnSessionThreadsForTest();
            // Clients on every session thread (the probe's ids cover them all) still connect, subscribe and receive.
            int threads = Runtime.getRuntime().availableProcessors();
            for (int loop = 0; loop < threads; loop++) {
                String id = idOnThread("echo-", loop, threads);
                List<String> got = new CopyOnWriteArrayList<>();
                try (MqttClient c = client(id, null, null)) {
                    c.subscribe("hall/echo/" + loop, 1, (t, m) -> got.add(t));
                    c.publish("hall/echo/" + loop, message("x", 1, false));
                    poll("the echo on session thread " + loop, () -> !got.isEmpty());
                }
            }
            poll("the failed commands counted", () -> io.moquette.broker.OpenHallAccess.failedSessionCommands() >= failedBefore + threads);
            assertEquals(0, broker.restarts());
        } finally {
            EmbeddedBrokerEdgeTest.port = before;
            broker.deactivate();
        }
    }

    /** A client id that Moquette 0.17 gives to session thread {@code loop} (|hash| % threads). */
    static String idOnThread(String prefix, int loop, int threads) {
        for (int k = 0;; k++) {
            if (Math.abs((prefix + k).hashCode()) % threads == loop) {
                return prefix + k;
            }
        }
    }
}
