package org.openhall.mqtt.bridge.internal.component;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.api.copy.CopyCounts;
import org.openhall.api.device.Device;
import org.openhall.api.device.DeviceEvents;
import org.openhall.api.device.DeviceState;
import org.openhall.api.device.Kiosk;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.QueueHistory;
import org.openhall.api.runtime.HallHome;
import org.openhall.mqtt.bridge.internal.payload.DeviceHealth;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One broker connection per factory configuration {@code etc/org.openhall.mqtt.connection-<name>.cfg}
 * (docs/mqtt.md): queue and device events go into the connection's persistent outbox
 * ({@code data/mqtt/<name>.db}) and from there to the broker; the retained state is published
 * again after changes and on every (re)connect; with {@code acceptsCommands} the connection runs
 * the commands it receives on {@code commands/+}.
 *
 * <p>Not {@code openhall.required}: a broker that is down never keeps the hall from READY. Activation
 * only opens the local outbox and starts threads; connecting happens in the background. A bad
 * configuration is logged with its file, key and reason and the last good one stays in force.
 */
@Component(configurationPid = ConnectionConfig.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = { EventHandler.class, MqttConnection.class }, property = {
                EventConstants.EVENT_TOPIC + "=" + QueueEvents.TOPIC_ALL,
                EventConstants.EVENT_TOPIC + "=" + DeviceEvents.TOPIC_ALL })
@Designate(ocd = ConnectionOcd.class, factory = true)
public final class MqttConnection implements EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);

    /** Every running connection of this bundle, by name: the status payload lists their states. */
    private static final Map<String, MqttConnection> RUNNING = new ConcurrentHashMap<>();

    /**
     * Every configured device's current health, from the {@link Device} services the drivers
     * register (so that a device's state is known whatever the start order), updated by their
     * status events.
     */
    private final Map<String, DeviceHealth> devices = new ConcurrentHashMap<>();
    /** The registered devices by id. */
    private final Map<String, Device> deviceServices = new ConcurrentHashMap<>();

    private final HallHome home;
    private final HallQueue queue;
    private final QueueHistory history;
    private final Link.Context context;
    /** Replaces and stops the link after activation, so that modification and deactivation do not wait for it. */
    private final ExecutorService worker;
    private volatile Link link;
    private volatile String source = "";

    @Activate
    public MqttConnection(@Reference HallHome home, @Reference HallQueue queue, @Reference QueueHistory history,
            BundleContext bundleContext, Map<String, Object> properties) {
        this.home = home;
        this.queue = queue;
        this.history = history;
        String pid = String.valueOf(properties.get("service.pid"));
        String threadName = "mqtt-connection-" + pid.substring(pid.indexOf('~') + 1);
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        String software = bundleContext.getBundle().getVersion().toString();
        Instant started = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        this.context = new Link.Context() {
            @Override
            public String software() {
                return software;
            }

            @Override
            public Instant started() {
                return started;
            }

            @Override
            public Map<String, String> connections() {
                return states();
            }

            @Override
            public Kiosk kiosk(String id) {
                return kiosks.get(id);
            }

            @Override
            public Map<String, Long> copies(java.time.LocalDate day) {
                CopyCounts c = copyCounts;
                if (c == null) {
                    return Map.of();
                }
                try {
                    return c.pages(day);
                } catch (RuntimeException e) {
                    LOG.error("MQTT: copy counts cannot be read", e);
                    return Map.of();
                }
            }
        };
        configure(properties, true);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties, false);
    }

    /**
     * @param first on activation the link is made at once, on the activating thread: the outbox
     *              starts at the queue's current seq, so an event posted between activation and a
     *              later start would never be published; READY waits for this activation. Only
     *              later changes, which stop a running link first, go to the worker.
     */
    private synchronized void configure(Map<String, Object> properties, boolean first) {
        String from = ConfigReader.source(properties);
        if (source.isEmpty()) {
            source = from;
        }
        ConnectionConfig config;
        try {
            config = ConnectionConfig.parse(properties);
        } catch (ConfigProblem p) {
            LOG.error("Rejected configuration {}: key '{}': {}; {}", from, p.key(), p.reason(),
                    link == null ? "the connection stays off until it is fixed"
                            : "the last good version of it stays in force");
            return;
        } catch (RuntimeException e) {
            LOG.error("Rejected configuration {}: {}", from, e.toString());
            return;
        }
        if (first) {
            apply(config, from);
        } else {
            worker.execute(() -> apply(config, from));
        }
    }

    /** On the worker thread: replaces the running link by one with this configuration. */
    private void apply(ConnectionConfig config, String from) {
        Link old = link;
        if (old != null && old.config().equals(config)) {
            return;
        }
        stop();
        source = from;
        try {
            Link l = new Link(config, queue, history, home.data(), context, devices);
            link = l;
            RUNNING.put(config.name(), this);
        } catch (RuntimeException e) {
            LOG.error("MQTT connection {} ({}) cannot start: {}", config.name(), from, e.getMessage(), e);
        }
        RUNNING.values().forEach(MqttConnection::stateChanged);
    }

    @Deactivate
    synchronized void deactivate() {
        worker.execute(() -> {
            stop();
            RUNNING.values().forEach(MqttConnection::stateChanged);
        });
        worker.shutdown();
        try {
            if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("MQTT connection {} did not stop within 30 s", source);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() {
        Link l = link;
        link = null;
        if (l != null) {
            RUNNING.remove(l.config().name(), this);
            l.close();
        }
    }

    @Override
    public void handleEvent(Event event) {
        try {
            if (event.getTopic().equals(DeviceEvents.topic(DeviceEvents.DEVICE_STATUS))) {
                DeviceState state = DeviceEvents.state(event::getProperty);
                if (state != null) {
                    Device service = deviceServices.get(state.deviceId());
                    Object kind = event.getProperty(DeviceEvents.KIND);
                    Object window = event.getProperty(DeviceEvents.WINDOW);
                    devices.put(state.deviceId(), service != null ? DeviceHealth.of(service)
                            : DeviceHealth.of(state, kind == null ? null : kind.toString(),
                                    window == null ? null : window.toString()));
                }
            }
            Link l = link;
            if (l != null) {
                l.handle(event);
            }
        } catch (RuntimeException e) {
            LOG.error("MQTT: event {} not handled", event.getTopic(), e);
        }
    }

    /** The kiosks by id, for commands that name one (issue-ticket and check-in with {@code kiosk}). */
    private final Map<String, Kiosk> kiosks = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindKiosk(Kiosk kiosk, Map<String, Object> properties) {
        Object id = properties.get(Kiosk.KIOSK_ID);
        if (id != null) {
            kiosks.put(id.toString(), kiosk);
        }
    }

    void unbindKiosk(Kiosk kiosk, Map<String, Object> properties) {
        Object id = properties.get(Kiosk.KIOSK_ID);
        if (id != null) {
            kiosks.remove(id.toString(), kiosk);
        }
    }

    /** The copy counter's page counts (R19), when a copy counter bundle runs. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile CopyCounts copyCounts;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDevice(Device device) {
        try {
            deviceServices.put(device.id(), device);
            devices.put(device.id(), DeviceHealth.of(device));
        } catch (RuntimeException e) {
            LOG.error("MQTT: device service {} cannot be read", device, e);
        }
        stateChanged();
    }

    void updatedDevice(Device device) {
        bindDevice(device);
    }

    void unbindDevice(Device device) {
        String id = device.id();
        if (deviceServices.remove(id, device)) {
            devices.remove(id);
            stateChanged();
        }
    }

    private void stateChanged() {
        Link l = link;
        if (l != null) {
            l.stateChanged();
        }
    }

    /** Connection name to state, sorted by name. */
    static Map<String, String> states() {
        Map<String, String> out = new TreeMap<>();
        RUNNING.forEach((name, c) -> {
            Link l = c.link;
            if (l != null) {
                out.put(name, l.state());
            }
        });
        return out;
    }

    /** One line for the console: name, state, URI, root, queued, dropped and unpublishable messages, last error. */
    String describe() {
        Link l = link;
        if (l == null) {
            return "(not running: see the log for " + source + ")";
        }
        ConnectionConfig c = l.config();
        String error = l.lastError();
        long seq = l.lastSeq();
        long discarded = l.discarded();
        return String.format("%-12s %-12s %s  root %s  queued %d  dropped %d%s%s%s%s", c.name(), l.state(), c.uri(),
                l.root(), l.queued(), l.dropped(), discarded > 0 ? "  unpublishable " + discarded : "", seq < 0 ? "" : "  seq " + seq, c.acceptsCommands() ? "  commands" : "",
                error == null || "connected".equals(l.state()) ? "" : "  last error: " + error);
    }
}
