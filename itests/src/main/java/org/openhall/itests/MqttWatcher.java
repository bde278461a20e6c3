package org.openhall.itests;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A screen, dashboard or kiosk: a Paho client subscribed with QoS 1 that keeps what arrives. */
final class MqttWatcher implements AutoCloseable {

    record Received(String topic, String payload, boolean retained) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final MqttClient client;

    /**
     * @param persistent a persistent session (clean session off) that the broker keeps, with its
     *                   queued QoS 1 messages, while the broker restarts
     */
    MqttWatcher(String uri, String clientId, String filter, boolean persistent) throws Exception {
        this(uri, clientId, filter, persistent, null, null);
    }

    /** As above, as a user with a password (both null: anonymous); {@code filter} null: no subscription. */
    MqttWatcher(String uri, String clientId, String filter, boolean persistent, String user, String password)
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
                // QoS 1 publishes wait for their token
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
        if (filter != null) {
            client.subscribe(filter, 1);
        }
    }

    /**
     * Subscribes with QoS 1.
     *
     * @return the QoS the broker granted, {@code 0x80} when it refused the subscription
     */
    int trySubscribe(String filter) throws MqttException {
        try {
            return client.subscribeWithResponse(filter, 1).getGrantedQos()[0];
        } catch (MqttException e) {
            if (e.getReasonCode() == MqttException.REASON_CODE_SUBSCRIBE_FAILED) {
                return 0x80;
            }
            throw e;
        }
    }

    /** Every message so far, in arrival order. */
    List<Received> all() {
        return List.copyOf(received);
    }

    /** Every message so far whose topic ends with {@code suffix}, in arrival order. */
    List<Received> on(String suffix) {
        List<Received> out = new ArrayList<>();
        for (Received r : received) {
            if (r.topic().endsWith(suffix)) {
                out.add(r);
            }
        }
        return out;
    }

    void publish(String topic, String payload) throws Exception {
        publish(topic, payload, 1);
    }

    void publish(String topic, String payload, int qos) throws Exception {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(qos);
        client.publish(topic, m);
    }

    @Override
    public void close() throws Exception {
        if (client.isConnected()) {
            client.disconnect(1000);
        }
        client.close(true);
    }
}
