package org.openhall.device.display.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.device.Device;
import org.openhall.api.device.DeviceDetail;
import org.openhall.api.device.DeviceEvents;
import org.openhall.api.device.DeviceKinds;
import org.openhall.api.device.DeviceState;
import org.openhall.api.device.DeviceStatus;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.HallSnapshot;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A configured window display (factory PID {@code org.openhall.display}): runs the driver, shows
 * its window from the core's events and snapshot, registers the {@link Device} service, posts its
 * status changes and, while it cannot show, a notice for the hall screens (R5: calls still reach
 * the citizens there). Never declares {@code openhall.required} (R5).
 *
 * <p>A changed file with a bad value is logged with file, key and reason and the display goes on
 * with its last good configuration.
 */
@Component(configurationPid = "org.openhall.display", configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = EventHandler.class,
        property = EventConstants.EVENT_TOPIC + "=org/openhall/queue/*")
@Designate(ocd = Ocd.class, factory = true)
public final class DisplayComponent implements EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DisplayComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EventAdmin eventAdmin;

    private volatile HallQueue queue;
    private BundleContext context;
    private volatile Config.Display config;
    private volatile WindowDisplay display;
    private volatile WindowScreen screen;
    private ServiceRegistration<Device> registration;
    private final Object noticeLock = new Object();
    private boolean noticeActive;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindQueue(HallQueue q) {
        queue = q;
        WindowDisplay d = display;
        if (d != null) {
            d.refresh();
        }
    }

    void unbindQueue(HallQueue q) {
        if (queue == q) {
            queue = null;
        }
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        this.context = context;
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    void deactivate() {
        Config.Display c = config;
        stop();
        // A display that is no longer configured cannot keep its notice up on the hall screens.
        boolean withdraw;
        synchronized (noticeLock) {
            withdraw = noticeActive;
            noticeActive = false;
        }
        if (withdraw && c != null) {
            postNotice(c, false, Instant.now());
        }
    }

    private synchronized void apply(Map<String, Object> properties) {
        Config.Display next;
        try {
            next = Config.display(properties);
        } catch (ConfigProblem p) {
            LOG.error(p.rejection(properties, ConfigProblem.lastGoodStays(config != null, "the display stays off")));
            return;
        }
        Config.Display previous = config;
        if (next.equals(previous) && display != null) {
            return; // the same file saved again: nothing to restart
        }
        stop();
        if (!start(next, properties) && previous != null) {
            // The new port or bus address is taken by another device: go on with the last good one.
            start(previous, properties);
        }
    }

    private boolean start(Config.Display c, Map<String, Object> properties) {
        WindowScreen s = new WindowScreen(c.window(), c.texts(), c.blink(), Clock.systemUTC(), this::snapshot);
        WindowDisplay d;
        String holder = BusAddresses.claim(c.settings());
        if (holder != null) {
            LOG.error(new ConfigProblem("address", "address " + c.settings().address() + " on " + c.settings().link().key()
                    + " is display " + holder + "'s").rejection(properties,
                            ConfigProblem.lastGoodStays(config != null, "the display stays off")));
            return false;
        }
        Config.Display before = config;
        config = c; // before the driver starts: its first status event carries this window
        try {
            d = new WindowDisplay(c.settings(), Clock.systemUTC(), this::statusChanged, s::content);
        } catch (IllegalStateException e) {
            config = before;
            BusAddresses.release(c.settings());
            // One owner per port: the port is owned with other line settings, or the id is in use.
            String key = e.getMessage() != null && e.getMessage().startsWith("device ") ? "display.id" : "link";
            LOG.error(new ConfigProblem(key, e.getMessage()).rejection(properties,
                    ConfigProblem.lastGoodStays(config != null, "the display stays off")));
            return false;
        }
        s.attach(d);
        screen = s;
        display = d;
        LOG.info("Display {} of window {} on {} address {}", c.settings().id(), c.window(), c.settings().link(),
                c.settings().address());
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Device.ID, c.settings().id());
        props.put(Device.KIND, DeviceKinds.WINDOW_DISPLAY);
        props.put(Device.WINDOW, c.window());
        registration = context.registerService(Device.class, new DisplayDevice(c.settings().id(), c.window()), props);
        d.refresh();
        return true;
    }

    private void stop() {
        ServiceRegistration<Device> r = registration;
        registration = null;
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException gone) {
                // unregistered with the bundle already
            }
        }
        WindowDisplay d = display;
        display = null;
        screen = null;
        if (d != null) {
            d.close();
            BusAddresses.release(d.settings());
        }
    }

    private HallSnapshot snapshot() {
        HallQueue q = queue;
        if (q == null) {
            return null;
        }
        try {
            return q.snapshot();
        } catch (RuntimeException e) {
            LOG.debug("No snapshot from the queue core: {}", e.toString());
            return null;
        }
    }

    @Override
    public void handleEvent(Event event) {
        WindowScreen s = screen;
        if (s != null) {
            s.handle(event::getProperty);
        }
    }

    private void statusChanged(DeviceState state) {
        Config.Display c = config;
        EventAdmin ea = eventAdmin;
        if (c == null || ea == null || !state.deviceId().equals(c.settings().id())) {
            return;
        }
        ea.postEvent(new Event(DeviceEvents.topic(DeviceEvents.DEVICE_STATUS),
                DeviceEvents.status(state, DeviceKinds.WINDOW_DISPLAY, c.window())));
        // The notice for the hall screens: up once the display is known not to show (not while it
        // is merely connecting at start), down when it shows again.
        boolean fault = state.status() != DeviceStatus.ONLINE && !WindowDisplay.NOT_YET.equals(state.text());
        synchronized (noticeLock) {
            if (fault == noticeActive || state.status() != DeviceStatus.ONLINE && !fault) {
                return;
            }
            noticeActive = fault;
        }
        postNotice(c, fault, state.since());
    }

    /** The display's notice for the hall screens (R5). */
    private void postNotice(Config.Display c, boolean active, Instant time) {
        EventAdmin ea = eventAdmin;
        if (ea == null) {
            return;
        }
        ea.postEvent(new Event(DeviceEvents.topic(DeviceEvents.DEVICE_NOTICE), DeviceEvents.notice(c.settings().id(),
                DeviceKinds.WINDOW_DISPLAY, c.window(), c.texts().get(Texts.NOTICE, windowName(c.window())), active,
                time.toEpochMilli())));
    }

    private String windowName(String window) {
        HallSnapshot s = snapshot();
        if (s != null) {
            for (var w : s.windows()) {
                if (w.id().equals(window) && w.name() != null && !w.name().isBlank()) {
                    return w.name();
                }
            }
        }
        return window + "号窗口";
    }

    /** The display as the rest of the hall sees it; answers from memory. */
    private final class DisplayDevice implements Device {
        private final String id;
        private final String window;

        DisplayDevice(String id, String window) {
            this.id = id;
            this.window = window;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String kind() {
            return DeviceKinds.WINDOW_DISPLAY;
        }

        @Override
        public String windowId() {
            return window;
        }

        @Override
        public DeviceState state() {
            WindowDisplay d = display;
            return d != null && d.id().equals(id) ? d.state()
                    : new DeviceState(id, DeviceStatus.OFFLINE, DeviceDetail.NO_PORT, "stopped", Instant.now());
        }

        @Override
        public Map<String, Long> counters() {
            WindowDisplay d = display;
            return d != null && d.id().equals(id) ? d.counters() : Map.of();
        }
    }
}
