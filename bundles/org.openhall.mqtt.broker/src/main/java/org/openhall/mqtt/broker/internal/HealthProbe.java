package org.openhall.mqtt.broker.internal;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * One health check of the embedded broker, as a client sees it: for every Moquette session thread
 * (Moquette 0.17 gives each client id to thread {@code |hash| % processors}), a client whose id
 * falls on that thread connects with the probe's own credentials, subscribes to its private topic,
 * publishes a nonce there at QoS 1 and must receive it within the bound. A dead session thread,
 * stopped listeners or a wedged queue all fail it.
 */
final class HealthProbe {

    private HealthProbe() {
    }

    /** Null if the broker works, else what failed. */
    static String run(String uri, String secret, long timeoutMillis) {
        int threads = Runtime.getRuntime().availableProcessors(); // as Moquette's SessionEventLoopGroup
        for (int loop = 0; loop < threads; loop++) {
            String clientId = clientIdOnThread(loop, threads);
            String failure = probe(uri, clientId, secret, timeoutMillis);
            if (failure != null) {
                return "session thread " + loop + " (client " + clientId + "): " + failure;
            }
        }
        return null;
    }

    static String clientIdOnThread(int loop, int threads) {
        for (int k = 0;; k++) {
            String id = BrokerPolicy.PROBE_CLIENT_PREFIX + k;
            if (Math.abs(id.hashCode()) % threads == loop) {
                return id;
            }
        }
    }

    private static String probe(String uri, String clientId, String secret, long timeoutMillis) {
        MqttClient client = null;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            client = new MqttClient(uri, clientId, new MemoryPersistence());
            client.setTimeToWait(timeoutMillis);
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            o.setAutomaticReconnect(false);
            o.setUserName(BrokerPolicy.PROBE_USER);
            o.setPassword(secret.toCharArray());
            o.setConnectionTimeout((int) Math.max(1, TimeUnit.MILLISECONDS.toSeconds(timeoutMillis)));
            o.setKeepAliveInterval(0);
            client.connect(o);
            String topic = BrokerPolicy.PROBE_TOPIC_ROOT + clientId;
            String nonce = UUID.randomUUID().toString();
            CompletableFuture<Void> received = new CompletableFuture<>();
            client.subscribe(topic, 1, (t, m) -> {
                if (nonce.equals(new String(m.getPayload(), StandardCharsets.UTF_8))) {
                    received.complete(null);
                }
            });
            MqttMessage m = new MqttMessage(nonce.getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            client.publish(topic, m);
            received.get(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())), TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException e) {
            return "its own message did not come back within " + timeoutMillis + " ms";
        } catch (MqttException e) {
            return e.toString() + (e.getCause() != null ? " (" + e.getCause() + ")" : "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return e.toString();
        } finally {
            if (client != null) {
                try {
                    if (client.isConnected()) {
                        client.disconnectForcibly(0, 1000);
                    }
                    client.close(true);
                } catch (MqttException ignored) {
                    // the probe's verdict stands
                }
            }
        }
    }
}
