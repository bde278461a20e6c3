package org.openhall.mqtt.bridge.internal.publisher;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A screen or dashboard: a Paho client subscribed with QoS 1, collecting what arrives. */
public final class Subscriber implements AutoCloseable {

    public record Received(String topic, String payload, boolean retained) {
    }

    public final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final MqttClient client;

    /**
     * @param persistent a persistent session (clean session off) that the broker keeps, with its
     *                   queued QoS 1 messages, while the client or the broker is away
     */
    public Subscriber(String uri, String clientId, String filter, boolean persistent) throws Exception {
        this(uri, clientId, filter, persistent, null, null);
    }

    /** As above, as a user with a password (both null: anonymous). */
    public Subscriber(String uri, String clientId, String filter, boolean persistent, String user, String password)
            throws Exception {
        client = new MqttClient(uri, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                // automatic reconnect takes over
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
                        message.isRetained()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // subscriber only
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(!persistent);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(500);
        o.setConnectionTimeout(5);
        if (user != null) {
            o.setUserName(user);
            o.setPassword(password.toCharArray());
        }
        client.connect(o);
        client.subscribe(filter, 1);
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /** The next message whose topic ends with {@code suffix}, within the timeout, else null. */
    public Received next(String suffix, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            long left = deadline - System.nanoTime();
            Received r = received.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (r == null || r.topic().endsWith(suffix)) {
                return r;
            }
        }
    }

    @Override
    public void close() throws Exception {
        if (client.isConnected()) {
            client.disconnect(1000);
        }
        client.close(true);
    }
}
