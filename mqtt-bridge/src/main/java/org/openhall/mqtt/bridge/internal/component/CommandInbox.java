package org.openhall.mqtt.bridge.internal.component;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a connection's commands on a thread of their own and acknowledges each one to the broker
 * only after it was handled: its queue operation is durable and its reply is in the outbox.
 *
 * <p>Why not on Paho's callback thread, as before: that thread also completes the publisher's
 * deliveries, and Paho counts a publish as in flight until it has. While a burst of commands kept
 * it busy (each one waits for a durable commit), Paho's count of publishes in flight ran up to its
 * maximum, the publisher failed with "Too many publishes in progress" and reconnected, and the
 * broker discarded the commands it had queued for the hall's clean session. Now the callback only
 * hands the message over; Paho's manual acknowledgements ({@link MqttClient#setManualAcks}) keep
 * the PUBACK until the command is handled, so a command the hall had not handled yet is delivered
 * again after a reconnect or a restart (the connection uses a persistent session), and the
 * broker's own window of unacknowledged messages (Moquette 10, Mosquitto 20) bounds what waits
 * here. A command delivered twice gets the first reply again: the queue core is idempotent by
 * request id.
 */
final class CommandInbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandInbox.class);

    /** Handles one command: runs it and queues its reply; never throws for bad input. */
    @FunctionalInterface
    interface Handler {
        void handle(String topic, byte[] payload);
    }

    private record Received(MqttClient client, int messageId, int qos, String topic, byte[] payload) {
    }

    /** Wakes the thread to stop. */
    private static final Received STOP = new Received(null, 0, 0, null, null);

    /**
     * Far more than a broker sends without acknowledgements; when it is full, the callback waits
     * (the broker then holds the rest).
     */
    static final int CAPACITY = 10_000;

    private final String name;
    private final Handler handler;
    private final BlockingQueue<Received> queue = new LinkedBlockingQueue<>(CAPACITY);
    private final Thread thread;
    private volatile boolean stopping;

    CommandInbox(String name, Handler handler) {
        this.name = name;
        this.handler = handler;
        this.thread = new Thread(this::run, "mqtt-commands-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** From Paho's callback thread: a command message that {@code client} received. */
    void received(MqttClient client, int messageId, int qos, String topic, byte[] payload) throws InterruptedException {
        if (!stopping) {
            queue.put(new Received(client, messageId, qos, topic, payload));
        }
    }

    /** Commands received and not yet handled. */
    int pending() {
        return queue.size();
    }

    private void run() {
        while (!stopping) {
            Received r;
            try {
                r = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (r == STOP || stopping) {
                return;
            }
            try {
                handler.handle(r.topic(), r.payload());
            } catch (RuntimeException e) {
                // The command was run or refused, but its reply may not be queued: acknowledge it
                // all the same, so that it does not hold a place in the broker's window for ever;
                // the sender asks again with the same request id and gets the same answer.
                LOG.error("MQTT connection {}: command on {} failed", name, r.topic(), e);
            }
            acknowledge(r);
        }
    }

    private void acknowledge(Received r) {
        if (!r.client().isConnected()) {
            // The connection it came on is gone: the broker delivers it again on the next one.
            return;
        }
        try {
            r.client().messageArrivedComplete(r.messageId(), r.qos());
        } catch (MqttException | RuntimeException e) {
            LOG.debug("MQTT connection {}: command {} not acknowledged ({}); the broker sends it again", name,
                    r.messageId(), e.toString());
        }
    }

    /** Stops after the command being handled; what is still queued is left to the broker to send again. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        queue.clear();
        queue.offer(STOP);
        thread.join(TimeUnit.SECONDS.toMillis(5));
        queue.clear();
    }
}
