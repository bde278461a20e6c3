package org.openhall.mqtt.bridge.internal.component;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.openhall.api.copy.CopyCounts;
import org.openhall.api.device.DeviceEvents;
import org.openhall.api.queue.DayStatistics;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.HallSnapshot;
import org.openhall.api.queue.QueueHistory;
import org.openhall.api.queue.QueueHistory.QueuedEvent;
import org.openhall.mqtt.bridge.internal.command.CommandParser;
import org.openhall.mqtt.bridge.internal.command.CommandProcessor;
import org.openhall.mqtt.bridge.internal.component.ConnectionConfig.Kind;
import org.openhall.mqtt.bridge.internal.outbox.Outbox;
import org.openhall.mqtt.bridge.internal.outbox.OutboxMessage;
import org.openhall.mqtt.bridge.internal.payload.Announcements;
import org.openhall.mqtt.bridge.internal.payload.DeviceHealth;
import org.openhall.mqtt.bridge.internal.payload.HallOpenState;
import org.openhall.mqtt.bridge.internal.payload.Json;
import org.openhall.mqtt.bridge.internal.payload.Payloads;
import org.openhall.mqtt.bridge.internal.publisher.OutboxPublisher;
import org.osgi.service.event.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One running broker connection with a good configuration: its outbox, its publisher, the
 * state worker that republishes the retained state (coalesced) and, with {@code acceptsCommands},
 * the command subscription. Made by {@link MqttConnection}; {@link #close()} stops and joins every
 * thread it started. No method throws: failures are logged and the link carries on.
 */
final class Link implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Link.class);

    /** How long state changes are collected before the retained state is published once. */
    private static final long COALESCE_MILLIS = 200;

    /** Most events read from the queue's history at once while catching up. */
    static final int CATCH_UP_PAGE = 1000;

    /** How long catching up waits before reading the history again after it could not be read. */
    private static final long CATCH_UP_RETRY_MILLIS = 1000;

    /** What the status payload says about the hall and the bridge, shared by every link. */
    interface Context {
        String software();

        Instant started();

        /** Connection name to its state ({@code connected}, {@code connecting}, {@code disconnected}). */
        Map<String, String> connections();

        /** The running kiosk with this id (a command's {@code kiosk}), else null. */
        default org.openhall.api.device.Kiosk kiosk(String id) {
            return null;
        }

        /**
         * Pages per copier on {@code day} for {@code stats/today}'s {@code copies} section (R19), from the
         * optional {@code CopyCounts} service; empty without a copy counter.
         */
        default Map<String, Long> copies(java.time.LocalDate day) {
            return Map.of();
        }
    }

    private final ConnectionConfig config;
    private final HallQueue queue;
    private final Context context;
    private final String hallId;
    private final String root;
    private final Payloads payloads;
    private final CommandProcessor commands;
    private final Outbox outbox;
    private final OutboxPublisher publisher;
    private final Thread stateThread;
    /** Runs the commands; null when the connection accepts none. */
    private final CommandInbox commandInbox;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean dirty; // guarded by lock
    private volatile boolean stopping;
    private final Map<String, DeviceHealth> devices;
    private final Set<String> stateTopics = new HashSet<>(); // guarded by this: retained topics published

    // Catching up by seq (docs/mqtt.md, "Events"): the live events from Event Admin and the events
    // read back from the queue's history meet here. Only events with seq == lastSeq + 1 are queued.
    private final QueueHistory history;
    /** Reads the history; null when the connection carries no events. */
    private final Thread catchUpThread;
    private final ReentrantLock seqLock = new ReentrantLock();
    private final Condition catchUpNeeded = seqLock.newCondition();
    private long lastSeq = -1; // guarded by seqLock: the last event seq queued (-1: not known yet)
    private boolean catchingUp = true; // guarded by seqLock: live events are left to the catch-up thread
    private long seenSeq; // guarded by seqLock: the highest live seq seen while catching up
    private long caughtUp; // catch-up thread only: events read from the history in this round
    private long caughtUpFrom; // catch-up thread only: the first of them

    /**
     * Opens the outbox and starts the threads; connects in the background.
     *
     * @param devices the last known health of every device, shared by the links and kept by the component
     * @throws RuntimeException when the outbox cannot be opened (nothing is left running)
     */
    Link(ConnectionConfig config, HallQueue queue, QueueHistory history, Path dataDir, Context context,
            Map<String, DeviceHealth> devices) {
        this.config = config;
        this.queue = queue;
        this.history = history;
        this.context = context;
        this.devices = devices;
        HallSnapshot first = queue.snapshot();
        this.hallId = first.hallId();
        this.root = config.root(hallId);
        this.payloads = new Payloads(hallId, Announcements.defaults(), Payloads.DEFAULT_OVERFLOW_THRESHOLD);
        this.commands = new CommandProcessor(root, new CommandParser(config.commandsMaxPayloadBytes(), config.allowSignIn()),
                payloads, queue, config.replyPrefixes(), context::kiosk);
        this.outbox = Outbox.open(dataDir.resolve("mqtt").resolve(config.name() + ".db"), config.outboxMaxBytes(),
                root + "/events/gap", (from, to) -> Json.bytes(payloads.gap(from, to, Instant.now())));
        String clientId = config.clientId(hallId);
        OutboxPublisher.Settings settings = new OutboxPublisher.Settings(config.uri(), clientId, root + "/status",
                Json.bytes(Payloads.statusOffline()), config.timeout(), config.initialBackoff(), config.maxBackoff());
        this.commandInbox = config.acceptsCommands() ? new CommandInbox(config.name(), this::command) : null;
        this.publisher = new OutboxPublisher(outbox, settings, this::onConnected, new Hooks());
        this.stateThread = new Thread(this::stateLoop, "mqtt-state-" + config.name());
        stateThread.setDaemon(true);
        if (config.carries(Kind.EVENTS)) {
            catchUpThread = new Thread(this::catchUpLoop, "mqtt-catchup-" + config.name());
            catchUpThread.setDaemon(true);
        } else {
            catchUpThread = null;
        }
        publisher.start();
        stateThread.start();
        if (catchUpThread != null) {
            catchUpThread.start();
        }
        LOG.info("MQTT connection {} to {} (client {}, root {}, carries {}{}) started", config.name(), config.uri(),
                clientId, root, config.publish().toString().toLowerCase(java.util.Locale.ROOT),
                config.acceptsCommands() ? ", accepts commands" : "");
    }

    ConnectionConfig config() {
        return config;
    }

    String root() {
        return root;
    }

    /** {@code connected}, {@code connecting} (no failure yet) or {@code disconnected} (retrying). */
    String state() {
        if (publisher.isConnected()) {
            return "connected";
        }
        return publisher.lastError() == null ? "connecting" : "disconnected";
    }

    String lastError() {
        return publisher.lastError();
    }

    int queued() {
        try {
            return outbox.size();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    long dropped() {
        try {
            return outbox.dropped();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Messages discarded as unpublishable since the link started (they would have blocked the outbox). */
    long discarded() {
        try {
            return outbox.discarded();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** An Event Admin event of the queue core or a device driver. */
    void handle(Event event) {
        try {
            String topic = event.getTopic();
            if (topic.startsWith("org/openhall/queue/")) {
                if (config.carries(Kind.EVENTS)) {
                    Map<String, Object> props = new LinkedHashMap<>();
                    for (String key : event.getPropertyNames()) {
                        props.put(key, event.getProperty(key));
                    }
                    live(props);
                }
                stateChanged();
            } else if (topic.equals(CopyCounts.TOPIC)) {
                // New pages (R19): stats/today's copies section changed.
                if (config.carries(Kind.STATS)) {
                    stateChanged();
                }
            } else if (topic.equals(DeviceEvents.topic(DeviceEvents.DEVICE_STATUS)) && config.carries(Kind.STATE)) {
                DeviceHealth d = devices.get(String.valueOf(event.getProperty(DeviceEvents.DEVICE)));
                if (d != null) {
                    outbox.add(OutboxMessage.of(OutboxMessage.Kind.STATE, root + "/devices/" + d.id(),
                            Json.bytes(payloads.device(d)), true, 0));
                    publisher.wakeUp();
                }
            }
        } catch (RuntimeException e) {
            LOG.error("MQTT connection {}: event {} could not be queued", config.name(), event.getTopic(), e);
        }
    }

    /**
     * A live queue event: queued when it is the next one; dropped when it was queued already
     * (seq <= last); left to the catch-up thread, which reads it from the history (the core posts
     * an event only once it is durable), when events are missing before it or catching up runs.
     */
    private void live(Map<String, Object> props) {
        OutboxMessage message = eventMessage(props);
        long seq = message.seq();
        seqLock.lock();
        try {
            if (catchingUp) {
                seenSeq = Math.max(seenSeq, seq);
                return;
            }
            if (seq <= lastSeq) {
                LOG.debug("MQTT connection {}: event seq {} was queued already", config.name(), seq);
                return;
            }
            if (seq > lastSeq + 1) {
                LOG.info("MQTT connection {}: events {}..{} were not received live; reading them from the history",
                        config.name(), lastSeq + 1, seq - 1);
                startCatchUp(seq);
                return;
            }
            try {
                outbox.addEvents(List.of(message), seq);
            } catch (RuntimeException e) {
                // Not queued: the next event finds the hole and catching up reads this one again.
                LOG.error("MQTT connection {}: event seq {} could not be queued; it is read again from the history",
                        config.name(), seq, e);
                startCatchUp(seq);
                return;
            }
            lastSeq = seq;
        } finally {
            seqLock.unlock();
        }
        publisher.wakeUp();
    }

    /** Under seqLock. */
    private void startCatchUp(long seen) {
        catchingUp = true;
        seenSeq = Math.max(seenSeq, seen);
        catchUpNeeded.signalAll();
    }

    private OutboxMessage eventMessage(Map<String, Object> props) {
        ObjectNode payload = payloads.event(props);
        long seq = payload.get("seq").asLong();
        return OutboxMessage.of(OutboxMessage.Kind.EVENT, root + "/events/" + Payloads.eventType(props),
                Json.bytes(payload), false, seq);
    }

    /**
     * The catch-up thread: on start it takes the last seq queued from the outbox (a new outbox
     * starts at the queue's current seq: no replay of old history), then reads what is missing
     * from the history in pages, queues it in order and hands over to the live events; again
     * whenever a live event shows a hole.
     */
    private void catchUpLoop() {
        try {
            long start = startSeq();
            seqLock.lock();
            try {
                lastSeq = start;
            } finally {
                seqLock.unlock();
            }
            while (!stopping) {
                seqLock.lock();
                try {
                    while (!catchingUp && !stopping) {
                        catchUpNeeded.await();
                    }
                } finally {
                    seqLock.unlock();
                }
                if (stopping) {
                    return;
                }
                if (!catchUpPage()) {
                    // The history could not be read (or the outbox not written): try again shortly.
                    seqLock.lock();
                    try {
                        catchUpNeeded.await(CATCH_UP_RETRY_MILLIS, TimeUnit.MILLISECONDS);
                    } finally {
                        seqLock.unlock();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("MQTT connection {}: catching up stopped; events are no longer queued", config.name(), e);
        }
    }

    /** The seq to continue after, from the outbox; waits (retrying) while the outbox cannot be read. */
    private long startSeq() throws InterruptedException {
        while (!stopping) {
            try {
                long current = history.lastSeq();
                java.util.OptionalLong stored = outbox.lastSeq();
                if (stored.isEmpty()) {
                    outbox.setLastSeq(current);
                    LOG.info("MQTT connection {}: new outbox, events are published from seq {} on", config.name(),
                            current + 1);
                    return current;
                }
                if (stored.getAsLong() > current) {
                    // The queue's journal is younger than the outbox (a new hall or a restored backup).
                    LOG.warn("MQTT connection {}: the outbox has seq {} but the queue is at seq {};"
                            + " events are published from seq {} on", config.name(), stored.getAsLong(), current,
                            current + 1);
                    outbox.setLastSeq(current);
                    return current;
                }
                return stored.getAsLong();
            } catch (RuntimeException e) {
                LOG.error("MQTT connection {}: the last seq queued cannot be read", config.name(), e);
                seqLock.lock();
                try {
                    catchUpNeeded.await(CATCH_UP_RETRY_MILLIS, TimeUnit.MILLISECONDS);
                } finally {
                    seqLock.unlock();
                }
            }
        }
        return 0;
    }

    /**
     * Reads one page after the last seq queued and queues it; when there is nothing more and no
     * live event came meanwhile beyond it, hands over to the live events.
     *
     * @return false when the history or the outbox failed
     */
    private boolean catchUpPage() {
        long after;
        seqLock.lock();
        try {
            after = lastSeq; // only this thread changes lastSeq while catching up
        } finally {
            seqLock.unlock();
        }
        List<QueuedEvent> page;
        try {
            page = history.eventsAfter(after, CATCH_UP_PAGE);
        } catch (RuntimeException e) {
            LOG.warn("MQTT connection {}: the queue's history cannot be read: {}", config.name(), e.toString());
            return false;
        }
        if (page.isEmpty()) {
            seqLock.lock();
            try {
                if (seenSeq <= lastSeq) {
                    catchingUp = false;
                    if (caughtUp > 0) {
                        LOG.info("MQTT connection {}: caught up with seq {}..{} from the queue's history ({} messages)",
                                config.name(), caughtUpFrom, lastSeq, caughtUp);
                    }
                    caughtUp = 0;
                    return true;
                }
            } finally {
                seqLock.unlock();
            }
            // A live event beyond what the history gives: it was durable when posted, so the history failed.
            return false;
        }
        List<OutboxMessage> messages = new ArrayList<>(page.size() + 1);
        long next = after + 1;
        for (QueuedEvent e : page) {
            if (e.seq() < next) {
                continue; // not expected from the history; never queue twice
            }
            if (e.seq() > next) {
                LOG.warn("MQTT connection {}: events {}..{} are no longer in the queue's history; a gap is published",
                        config.name(), next, e.seq() - 1);
                messages.add(OutboxMessage.gap(next, e.seq() - 1));
            }
            Map<String, Object> props = new LinkedHashMap<>(e.properties());
            props.putIfAbsent(org.openhall.api.queue.QueueEvents.SEQ, e.seq());
            props.putIfAbsent(org.openhall.api.queue.QueueEvents.TYPE, e.type());
            messages.add(eventMessage(props));
            next = e.seq() + 1;
        }
        if (messages.isEmpty()) {
            return false;
        }
        try {
            outbox.addEvents(messages, next - 1);
        } catch (RuntimeException e) {
            LOG.error("MQTT connection {}: events after seq {} could not be queued", config.name(), after, e);
            return false;
        }
        seqLock.lock();
        try {
            lastSeq = next - 1;
        } finally {
            seqLock.unlock();
        }
        if (caughtUp == 0) {
            caughtUpFrom = after + 1;
        }
        caughtUp += messages.size();
        LOG.debug("MQTT connection {}: caught up to seq {}", config.name(), next - 1);
        publisher.wakeUp();
        stateChanged();
        return true;
    }

    /** The last event seq queued; -1 before the connection knows it. For tests and the console. */
    long lastSeq() {
        seqLock.lock();
        try {
            return lastSeq;
        } finally {
            seqLock.unlock();
        }
    }

    /** The hall changed: publish the retained state again soon (changes within a short time coalesce). */
    void stateChanged() {
        lock.lock();
        try {
            dirty = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void stateLoop() {
        while (!stopping) {
            lock.lock();
            try {
                while (!dirty && !stopping) {
                    changed.await(1, TimeUnit.SECONDS);
                }
                // Collect the changes of the next moments into one publication.
                long nanos = TimeUnit.MILLISECONDS.toNanos(COALESCE_MILLIS);
                while (!stopping && nanos > 0) {
                    nanos = changed.awaitNanos(nanos);
                }
                dirty = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            if (!stopping) {
                queueState();
            }
        }
    }

    private void onConnected() {
        queueState();
    }

    /** Queues every retained message (coalesced in the outbox) and wakes the publisher. */
    private synchronized void queueState() {
        try {
            HallSnapshot s = queue.snapshot();
            Instant now = Instant.now();
            List<OutboxMessage> out = new ArrayList<>();
            ObjectNode status = payloads.statusOnline(s.hallName(), context.software(), context.started(),
                    Payloads.openState(s.phase()), now);
            ObjectNode connections = status.putObject("connections");
            context.connections().forEach(connections::put);
            connections.put(config.name(), state());
            out.add(OutboxMessage.of(OutboxMessage.Kind.STATE, root + "/status", Json.bytes(status), true, 0));
            Set<String> topics = new HashSet<>();
            if (config.carries(Kind.STATE)) {
                for (Map.Entry<String, ObjectNode> e : payloads.state(s).entrySet()) {
                    String topic = root + "/" + e.getKey();
                    topics.add(topic);
                    out.add(OutboxMessage.of(OutboxMessage.Kind.STATE, topic, Json.bytes(e.getValue()), true, 0));
                }
                for (DeviceHealth d : devices.values()) {
                    String topic = root + "/devices/" + d.id();
                    topics.add(topic);
                    out.add(OutboxMessage.of(OutboxMessage.Kind.STATE, topic, Json.bytes(payloads.device(d)), true, 0));
                }
                // A category, window or device removed from the configuration: an empty retained message deletes it.
                for (String gone : stateTopics) {
                    if (!topics.contains(gone)) {
                        out.add(OutboxMessage.of(OutboxMessage.Kind.STATE, gone, new byte[0], true, 0));
                    }
                }
                stateTopics.clear();
                stateTopics.addAll(topics);
            }
            if (config.carries(Kind.STATS)) {
                DayStatistics stats = queue.statistics(s.day()).orElse(null);
                if (stats != null) {
                    out.add(OutboxMessage.of(OutboxMessage.Kind.STATS, root + "/stats/today",
                            Json.bytes(payloads.statsToday(stats, context.copies(s.day()), now)), true, 0));
                }
            }
            outbox.addAll(out);
            publisher.wakeUp();
        } catch (RuntimeException e) {
            LOG.error("MQTT connection {}: the retained state could not be queued", config.name(), e);
        }
    }

    /** Stops the threads (joined), publishes the offline status if connected, closes the outbox. */
    @Override
    public void close() {
        stopping = true;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        seqLock.lock();
        try {
            catchUpNeeded.signalAll();
        } finally {
            seqLock.unlock();
        }
        try {
            if (commandInbox != null) {
                commandInbox.close();
            }
            stateThread.join(TimeUnit.SECONDS.toMillis(5));
            if (catchUpThread != null) {
                catchUpThread.join(TimeUnit.SECONDS.toMillis(30));
            }
            publisher.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            outbox.close();
        }
        LOG.info("MQTT connection {} stopped", config.name());
    }

    /** Credentials, TLS and the command subscription of this connection. */
    private final class Hooks implements OutboxPublisher.Hooks {

        @Override
        public void configure(MqttConnectOptions options) throws MqttException {
            if (config.username() != null) {
                options.setUserName(config.username());
            }
            if (config.password() != null) {
                options.setPassword(config.password().toCharArray());
            }
            if (config.acceptsCommands()) {
                // The broker keeps the command subscription and what is queued for it while the
                // hall is away (reconnect, restart): no command a broker accepted is lost.
                options.setCleanSession(false);
            }
            if (config.tls() && (config.trustStore() != null || config.keyStore() != null)) {
                try {
                    options.setSocketFactory(sslContext().getSocketFactory());
                } catch (IOException | GeneralSecurityException e) {
                    throw new MqttException(MqttException.REASON_CODE_SSL_CONFIG_ERROR, e);
                }
            }
        }

        @Override
        public void prepare(MqttClient client) throws MqttException {
            if (commandInbox == null) {
                return;
            }
            client.setManualAcks(true);
            client.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                    LOG.debug("MQTT connection {} lost: {}", config.name(), String.valueOf(cause));
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
                    commandInbox.received(client, message.getId(), message.getQos(), topic, message.getPayload());
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                    // acknowledgements are awaited by the publisher
                }
            });
        }

        @Override
        public void connected(MqttClient client) throws MqttException {
            if (commandInbox != null) {
                client.subscribe(root + "/commands/+", 1);
            }
        }
    }

    /** Runs one command and queues its reply (on the command inbox's thread). */
    private void command(String topic, byte[] payload) {
        CommandProcessor.Reply reply = commands.handle(topic, payload);
        outbox.add(OutboxMessage.of(OutboxMessage.Kind.REPLY, reply.topic(), reply.bytes(), false, 0));
        publisher.wakeUp();
    }

    private SSLContext sslContext() throws IOException, GeneralSecurityException {
        TrustManagerFactory tmf = null;
        if (config.trustStore() != null) {
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(config.trustStore(), config.trustStorePassword()));
        }
        KeyManagerFactory kmf = null;
        if (config.keyStore() != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            char[] pw = config.keyStorePassword() == null ? new char[0] : config.keyStorePassword().toCharArray();
            kmf.init(load(config.keyStore(), config.keyStorePassword()), pw);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return ctx;
    }

    private static KeyStore load(String file, String password) throws IOException, GeneralSecurityException {
        char[] pw = password == null ? null : password.toCharArray();
        try (InputStream in = new FileInputStream(file)) {
            // KeyStore.getInstance(File, …) would detect the type, but needs the file twice; PKCS12 reads JKS too.
            KeyStore ks = KeyStore.getInstance(file.endsWith(".jks") ? "JKS" : "PKCS12");
            ks.load(in, pw);
            return ks;
        }
    }
}
