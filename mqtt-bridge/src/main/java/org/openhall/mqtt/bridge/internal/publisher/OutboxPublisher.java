package org.openhall.mqtt.bridge.internal.publisher;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.openhall.mqtt.bridge.internal.outbox.Outbox;
import org.openhall.mqtt.bridge.internal.outbox.OutboxMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains an {@link Outbox} to one MQTT broker with the Paho v3 client (QoS 1): in outbox order,
 * up to {@value #WINDOW} messages in flight (MQTT keeps the order of one client's QoS 1 messages),
 * each deleted from the outbox only after the broker's PUBACK (the PUBACKs of a batch are recorded
 * in one outbox transaction). On a lost
 * connection it reconnects with {@link Backoff} (exponential with jitter); what was not
 * acknowledged is sent again, so nothing queued is lost and the order is kept. The connection sets
 * the retained Last Will ({@code status} = {@code {"online":false}}); {@code onConnected} runs
 * after every (re)connect, before draining, so the bridge can queue all retained state again.
 *
 * <p>One daemon thread, {@code mqtt-publisher-<clientId>}; {@link #wakeUp()} after adding to the
 * outbox makes it publish at once.
 */
public final class OutboxPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxPublisher.class);
    private static final int BATCH = 256;
    /** Messages published and not yet acknowledged by the broker, at most. */
    public static final int WINDOW = 32;

    /** How to reach the broker. */
    public record Settings(String serverUri, String clientId, String willTopic, byte[] willPayload,
            Duration operationTimeout, Duration initialBackoff, Duration maxBackoff) {
        public Settings {
            Objects.requireNonNull(serverUri, "serverUri");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(willTopic, "willTopic");
            Objects.requireNonNull(willPayload, "willPayload");
            Objects.requireNonNull(operationTimeout, "operationTimeout");
        }
    }

    /**
     * What a connection adds to the plain publisher: options (credentials, TLS) and what to do on a
     * fresh connection before anything is published (subscriptions). Both default to nothing.
     */
    public interface Hooks {
        /** Completes the options of every connection attempt. */
        default void configure(MqttConnectOptions options) throws MqttException {
        }

        /**
         * Runs on every new client before it connects: a callback set here sees messages the broker
         * sends right after the CONNACK (a persistent session's queued ones).
         */
        default void prepare(MqttClient client) throws MqttException {
        }

        /** Runs on every new connection, before {@code onConnected}; may subscribe. */
        default void connected(MqttClient client) throws MqttException {
        }
    }

    private static final Hooks NO_HOOKS = new Hooks() {
    };

    private final Outbox outbox;
    private final Settings settings;
    private final Runnable onConnected;
    private final Hooks hooks;
    private final Backoff backoff;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean connected;
    private volatile String lastError;
    private boolean warned; // publisher thread only: a failure series is logged at WARN once
    private volatile long discarded; // written by the publisher thread only
    private long lastDiscardLog; // publisher thread only
    private boolean work; // guarded by lock
    private volatile MqttClient client; // set on the publisher thread; close() uses it after the thread ended
    /** The client of a connection attempt under way: close() abandons it. */
    private volatile MqttClient connecting;
    /** The socket of the newest connection (attempt), to close under a stuck attempt. */
    private final SocketTracker sockets = new SocketTracker();
    /** System.nanoTime() by which waits for the broker give up, once stopping. */
    private volatile long stopDeadline;

    /** Paho's window of unacknowledged QoS 1 messages (see {@link #connect()}). */
    static final int MAX_INFLIGHT = 1000;

    /*
     * The stop's budget (issue 17, point 11: with a stuck broker a stop waited for the operation
     * timeout, 10 s, two and three times over, and the hall overran the 5 s the README promises).
     * A stop waits STOP_GRACE for the broker to acknowledge what is in flight (a healthy broker
     * does so in milliseconds, so a normal stop still delivers it), then gives the offline status
     * and the DISCONNECT FAREWELL each; a connection attempt under way is abandoned at once.
     * Worst case about STOP_GRACE + 3 × FAREWELL, whatever the broker does.
     */
    static final long STOP_GRACE_MILLIS = 1000;
    static final long FAREWELL_MILLIS = 200;
    /** How often a wait for an acknowledgement looks whether the stop's grace is over. */
    private static final long SLICE_MILLIS = 50;

    /** Plain TCP sockets with TCP_NODELAY. */
    public static final class NoDelaySocketFactory extends javax.net.SocketFactory {
        public static final NoDelaySocketFactory INSTANCE = new NoDelaySocketFactory();

        @Override
        public java.net.Socket createSocket() throws java.io.IOException {
            java.net.Socket s = new java.net.Socket();
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public java.net.Socket createSocket(String host, int port) throws java.io.IOException {
            java.net.Socket s = createSocket();
            s.connect(new java.net.InetSocketAddress(host, port));
            return s;
        }

        @Override
        public java.net.Socket createSocket(String host, int port, java.net.InetAddress localHost, int localPort)
                throws java.io.IOException {
            java.net.Socket s = createSocket();
            s.bind(new java.net.InetSocketAddress(localHost, localPort));
            s.connect(new java.net.InetSocketAddress(host, port));
            return s;
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress host, int port) throws java.io.IOException {
            java.net.Socket s = createSocket();
            s.connect(new java.net.InetSocketAddress(host, port));
            return s;
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress localAddress,
                int localPort) throws java.io.IOException {
            java.net.Socket s = createSocket();
            s.bind(new java.net.InetSocketAddress(localAddress, localPort));
            s.connect(new java.net.InetSocketAddress(address, port));
            return s;
        }
    }

    public OutboxPublisher(Outbox outbox, Settings settings, Runnable onConnected) {
        this(outbox, settings, onConnected, NO_HOOKS);
    }

    public OutboxPublisher(Outbox outbox, Settings settings, Runnable onConnected, Hooks hooks) {
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.onConnected = Objects.requireNonNull(onConnected, "onConnected");
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), Math::random);
        this.thread = new Thread(this::run, "mqtt-publisher-" + settings.clientId());
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Whether the publisher is connected to the broker now. */
    public boolean isConnected() {
        return connected;
    }

    /** Why the last connection attempt or the last connection failed, or null. */
    public String lastError() {
        return lastError;
    }

    /** Tells the publisher that the outbox has new messages. */
    public void wakeUp() {
        lock.lock();
        try {
            work = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (!stopping) {
            try {
                if (client == null || !client.isConnected()) {
                    connect();
                    backoff.reset();
                    onConnected.run();
                }
                if (!drain()) {
                    awaitWork();
                }
            } catch (MqttException | RuntimeException e) {
                connected = false;
                if (stopping) {
                    break;
                }
                Duration delay = backoff.next();
                lastError = describe(e);
                if (!warned) {
                    warned = true;
                    LOG.warn("MQTT {} at {}: {}; retrying with backoff up to {} ms (further failures are logged at DEBUG)",
                            settings.clientId(), settings.serverUri(), lastError, settings.maxBackoff().toMillis());
                } else {
                    LOG.debug("MQTT {} at {}: {}; next attempt in {} ms", settings.clientId(), settings.serverUri(),
                            lastError, delay.toMillis());
                }
                disconnectQuietly();
                pause(delay);
            }
        }
    }

    /** Paho's message and its cause's: "MqttException" alone does not say that a certificate was not trusted. */
    static String describe(Throwable e) {
        String m = String.valueOf(e.getMessage());
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !m.contains(cause.getMessage())) {
            m += ": " + cause.getMessage();
        }
        return m;
    }

    private void connect() throws MqttException {
        disconnectQuietly();
        MqttClient c = new MqttClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout((int) Math.max(1, settings.operationTimeout().toSeconds()));
        o.setKeepAliveInterval(30);
        // MQTT 3.1.1 only. Paho's default tries 3.1 after any failed 3.1.1 attempt: that doubles a
        // stuck broker's wait and makes a new socket under a stop that closed the first, and over
        // WebSocket the second attempt fails with "Already connected" (it reuses its pipe), which
        // hid the broker's reason (e.g. "Not authorized to connect") from lastError and mqtt:status.
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setWill(settings.willTopic(), settings.willPayload(), 1, true);
        // At most WINDOW messages are in flight, but Paho completes a token before its callback
        // thread counts the acknowledgement: under load a window as small as ours fills with
        // acknowledged messages and publish fails with "Too many publishes in progress".
        o.setMaxInflight(MAX_INFLIGHT);
        if (settings.serverUri().startsWith("tcp:")) {
            // A reply follows the acknowledgement of its command at once: without TCP_NODELAY, Nagle's
            // algorithm holds it until the broker's delayed ACK (tens of milliseconds).
            o.setSocketFactory(NoDelaySocketFactory.INSTANCE);
        }
        c.setTimeToWait(settings.operationTimeout().toMillis());
        sockets.forget();
        connecting = c;
        try {
            if (stopping) {
                // close() may have looked for an attempt to abandon before this one was set
                throw new MqttException(MqttException.REASON_CODE_CLIENT_CLOSED);
            }
            hooks.configure(o);
            if (o.getSocketFactory() != null) {
                // (tcp: and TLS with the connection's own stores; without a factory of its own, a
                // stop waits for Paho's connection timeout instead)
                o.setSocketFactory(sockets.wrap(o.getSocketFactory()));
            }
            hooks.prepare(c);
            c.connect(o);
        } catch (MqttException | RuntimeException e) {
            close(c);
            throw e;
        } finally {
            connecting = null;
        }
        client = c;
        hooks.connected(c);
        connected = true;
        warned = false;
        lastError = null;
        LOG.info("MQTT {} connected to {}; {} messages queued", settings.clientId(), settings.serverUri(), outbox.size());
    }

    /**
     * Publishes what is queued, up to {@value #WINDOW} messages in flight; deletes the acknowledged
     * ones from the outbox in one transaction, also when the connection fails midway. False when
     * the outbox was empty.
     */
    private boolean drain() throws MqttException {
        List<OutboxMessage> batch = outbox.peek(BATCH);
        if (batch.isEmpty()) {
            return false;
        }
        java.util.ArrayDeque<InFlight> inFlight = new java.util.ArrayDeque<>();
        List<Long> acknowledged = new java.util.ArrayList<>(batch.size());
        try {
            for (OutboxMessage m : batch) {
                if (stopping) {
                    break;
                }
                String problem = unpublishable(m);
                if (problem != null) {
                    discard(m, problem);
                    continue;
                }
                if (inFlight.size() >= WINDOW) {
                    acknowledged.add(await(inFlight.poll()));
                }
                MqttMessage msg = new MqttMessage(m.payload());
                msg.setQos(1);
                msg.setRetained(m.retained());
                IMqttDeliveryToken token;
                try {
                    token = client.getTopic(m.topic()).publish(msg);
                } catch (IllegalArgumentException e) {
                    discard(m, "the MQTT client refused it: " + e.getMessage());
                    continue;
                }
                inFlight.add(new InFlight(m.id(), token));
            }
            while (!inFlight.isEmpty()) {
                acknowledged.add(await(inFlight.poll()));
            }
        } finally {
            if (!acknowledged.isEmpty()) {
                outbox.acknowledgeAll(acknowledged);
            }
        }
        return true;
    }

    private record InFlight(long id, IMqttDeliveryToken token) {
    }

    /**
     * Why {@code m} can never be published, or null. Paho checks a topic only when its sender
     * thread encodes the packet and then drops the connection: such a message would be sent again
     * after every reconnect and block the outbox for ever (a poison message).
     */
    static String unpublishable(OutboxMessage m) {
        String problem = TopicNames.problem(m.topic());
        if (problem != null) {
            return problem;
        }
        if (m.payload().length > MAX_PAYLOAD_BYTES) {
            return "the payload has " + m.payload().length + " bytes, more than MQTT allows";
        }
        return null;
    }

    /** Largest payload a PUBLISH can carry with a topic of the longest length (MQTT 3.1.1, 2.2.3). */
    static final int MAX_PAYLOAD_BYTES = 268_435_455 - 2 - TopicNames.MAX_BYTES - 2;

    /** Removes a message that can never be published; counted, logged at WARN (at most once a minute in detail). */
    private void discard(OutboxMessage m, String why) {
        outbox.discard(m.id());
        long n = ++discarded;
        long now = System.nanoTime();
        if (n == 1 || now - lastDiscardLog > TimeUnit.MINUTES.toNanos(1)) {
            lastDiscardLog = now;
            LOG.warn("MQTT {}: a {} message can never be published and was discarded ({} so far{}): {}",
                    settings.clientId(), m.kind(), n, m.kind() == OutboxMessage.Kind.EVENT ? "; a gap takes its place" : "",
                    why);
        } else {
            LOG.debug("MQTT {}: {} message {} discarded: {}", settings.clientId(), m.kind(), m.id(), why);
        }
    }

    /** Messages discarded because they can never be published, since this publisher started. */
    public long discarded() {
        return discarded;
    }

    /** Waits for the broker's PUBACK of one message; its outbox id. */
    private long await(InFlight f) throws MqttException {
        // In slices, so that a stop that began during the wait ends it at the stop's deadline.
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.operationTimeout().toMillis());
        while (!f.token().isComplete()) {
            long now = System.nanoTime();
            if (now - end >= 0 || stopping && now - stopDeadline >= 0) {
                throw new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT);
            }
            try {
                f.token().waitForCompletion(Math.max(1, Math.min(SLICE_MILLIS, TimeUnit.NANOSECONDS.toMillis(end - now))));
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttException.REASON_CODE_CLIENT_TIMEOUT) {
                    throw e; // the delivery failed (connection lost): not a slice that ran out
                }
            }
        }
        // Paho records each slice that ran out as the token's exception: only another one is a failure.
        MqttException failed = f.token().getException();
        if (failed != null && failed.getReasonCode() != MqttException.REASON_CODE_CLIENT_TIMEOUT) {
            throw failed;
        }
        return f.id();
    }

    private void awaitWork() {
        lock.lock();
        try {
            if (!work && !stopping) {
                changed.await(1, TimeUnit.SECONDS);
            }
            work = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        } finally {
            lock.unlock();
        }
    }

    private void pause(Duration delay) {
        lock.lock();
        try {
            long nanos = delay.toNanos();
            while (!stopping && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        } finally {
            lock.unlock();
        }
    }

    private void disconnectQuietly() {
        MqttClient c = client;
        client = null;
        connected = false;
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                // Bounded: disconnect(quiesce) waits for the DISCONNECT packet without a limit, and a
                // broker that stopped reading (SIGSTOP, a hung host) may never take it.
                c.disconnectForcibly(FAREWELL_MILLIS / 2, FAREWELL_MILLIS);
            }
        } catch (MqttException e) {
            LOG.debug("MQTT {}: disconnect: {}", settings.clientId(), e.getMessage());
        }
        close(c);
    }

    private void close(MqttClient c) {
        try {
            c.close(true);
        } catch (MqttException e) {
            LOG.debug("MQTT {}: close: {}", settings.clientId(), e.getMessage());
        }
    }

    /**
     * Closes the socket of a connection attempt under way (see {@link SocketTracker} for why not
     * Paho's disconnect). A socket that is connected already may be one whose Paho threads are
     * still starting: Paho misses the end of a sender thread stopped within its first 100 ms, so
     * such a socket gets {@value #ATTEMPT_SETTLE_MILLIS} ms (the attempt may also end by itself).
     */
    private void abandonAttempt() throws InterruptedException {
        if (connecting == null) {
            return;
        }
        java.net.Socket s = sockets.last();
        if (s == null) {
            return;
        }
        if (s.isConnected()) {
            thread.join(ATTEMPT_SETTLE_MILLIS);
            if (connecting == null) {
                return;
            }
        }
        try {
            s.close();
        } catch (java.io.IOException e) {
            LOG.debug("MQTT {}: closing the socket of a connection attempt: {}", settings.clientId(), e.toString());
        }
    }

    private static final long ATTEMPT_SETTLE_MILLIS = 300;

    /** Ends a connection under the publisher thread: its waits on Paho fail at once. */
    private void abandon(MqttClient c) {
        if (c == null) {
            return;
        }
        try {
            c.disconnectForcibly(0, 0, false);
        } catch (MqttException | RuntimeException e) {
            LOG.debug("MQTT {}: abandon: {}", settings.clientId(), e.toString());
        }
    }

    /**
     * Stops publishing. When connected, publishes the Last Will's payload on its topic first (a
     * clean stop shows as offline too), then disconnects. What is still queued stays in the outbox.
     */
    @Override
    public void close() throws InterruptedException {
        stopDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_GRACE_MILLIS);
        stopping = true;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        // A connection attempt has nothing in flight: abandon it rather than wait for its CONNACK
        // (up to the operation timeout from a broker that accepted and does not answer).
        abandonAttempt();
        thread.join(STOP_GRACE_MILLIS + FAREWELL_MILLIS);
        if (thread.isAlive()) {
            // Still in Paho beyond the deadline: take the network away under it.
            abandonAttempt();
            abandon(client);
            thread.join(FAREWELL_MILLIS * 2);
            if (thread.isAlive()) {
                LOG.warn("MQTT {}: the publisher thread did not end in time", settings.clientId());
            }
        }
        MqttClient c = client;
        if (c != null && c.isConnected()) {
            try {
                MqttMessage offline = new MqttMessage(settings.willPayload());
                offline.setQos(1);
                offline.setRetained(true);
                c.getTopic(settings.willTopic()).publish(offline).waitForCompletion(FAREWELL_MILLIS);
            } catch (MqttException e) {
                if (e.getReasonCode() == MqttException.REASON_CODE_CLIENT_TIMEOUT) {
                    // The broker publishes the retained Last Will itself once it notices the connection gone.
                    LOG.warn("MQTT {}: the broker did not acknowledge the offline status within {} ms; stopping all the same",
                            settings.clientId(), FAREWELL_MILLIS);
                } else {
                    LOG.warn("MQTT {}: the offline status could not be published: {}", settings.clientId(), e.getMessage());
                }
            }
        }
        disconnectQuietly();
    }
}
