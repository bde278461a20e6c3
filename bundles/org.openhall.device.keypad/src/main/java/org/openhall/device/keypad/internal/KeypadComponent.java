package org.openhall.device.keypad.internal;

import java.time.Clock;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Map;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.api.device.Device;
import org.openhall.api.device.DeviceEvents;
import org.openhall.api.device.DeviceKinds;
import org.openhall.api.device.DeviceState;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.runtime.HallHome;
import org.openhall.device.frames.BusConfig;
import org.openhall.device.frames.BusDevice;
import org.openhall.device.frames.EvaluationRequest;
import org.openhall.device.frames.Texts;
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
 * A configured caller keypad (factory PID {@code org.openhall.keypad}): runs the driver, registers
 * it as a {@link Device} service (kind {@code caller-keypad}, with its window, which binds it to
 * that window in the core) and posts its status changes. A changed file that is bad is refused
 * with file, key and reason, and the keypad goes on with its last good configuration. Never
 * declares {@code openhall.required} (R5); activation only starts the driver's thread.
 */
@Component(configurationPid = "org.openhall.keypad", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = { KeypadComponent.class, EventHandler.class },
        property = { EventConstants.EVENT_TOPIC + "=org/openhall/queue/ticket/*",
                EventConstants.EVENT_TOPIC + "=org/openhall/queue/service/*",
                EventConstants.EVENT_TOPIC + "=org/openhall/queue/window/*" })
@Designate(ocd = Ocds.Keypad.class, factory = true)
public final class KeypadComponent implements EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(KeypadComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EventAdmin eventAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile HallQueue queue;

    /** Where the last key press is kept across restarts (data/devices/), when the home is known. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile HallHome home;

    private BundleContext context;
    private volatile CallerKeypad keypad;
    private ServiceRegistration<Device> registration;

    @Activate
    synchronized void activate(BundleContext context, Map<String, Object> properties) {
        this.context = context;
        apply(properties);
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        apply(properties);
    }

    private void apply(Map<String, Object> properties) {
        BusDevice.Settings settings;
        CallerKeypad.DisplayMode display;
        Texts texts;
        try {
            ConfigReader p = new ConfigReader(properties);
            p.checkText();
            settings = BusConfig.read(p, "keypad.id");
            display = display(p.optional("display", "code"));
            texts = Texts.of(CallerKeypad.class, properties);
        } catch (ConfigProblem p) {
            LOG.error(p.rejection(properties, ConfigProblem.lastGoodStays(keypad != null, "the keypad stays off")));
            return;
        }
        stop();
        CallerKeypad k = new CallerKeypad(settings, Clock.systemUTC(), s -> post(s, settings.windowId()), () -> queue, this::evaluationRequested,
                texts, display, pressStore(settings.id()));
        try {
            k.start();
        } catch (IllegalStateException e) {
            // One owner per port with one set of line settings, one device per id.
            LOG.error("Rejected configuration {}: key 'link': {}; the keypad stays off", ConfigReader.source(properties),
                    e.getMessage());
            k.close();
            return;
        }
        keypad = k;
        LOG.info("Keypad {} for window {} on {} address {}", settings.id(), settings.windowId(), settings.link(),
                settings.address());
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Device.ID, settings.id());
        props.put(Device.KIND, DeviceKinds.CALLER_KEYPAD);
        props.put(Device.WINDOW, settings.windowId());
        registration = context.registerService(Device.class, k, props);
    }

    static CallerKeypad.DisplayMode display(String value) throws ConfigProblem {
        try {
            return CallerKeypad.DisplayMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigProblem("display", "'" + value + "' is not code or text");
        }
    }

    private java.nio.file.Path pressStore(String id) {
        HallHome h = home;
        return h == null ? null : h.data().resolve("devices").resolve(id + ".press");
    }

    private void stop() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
            registration = null;
        }
        if (keypad != null) {
            keypad.close();
            keypad = null;
        }
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
    }

    /** The driver, or null when off (tests). */
    synchronized CallerKeypad keypad() {
        return keypad;
    }

    private void post(DeviceState s, String window) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(DeviceEvents.topic(DeviceEvents.DEVICE_STATUS),
                    DeviceEvents.status(s, DeviceKinds.CALLER_KEYPAD, window)));
        }
    }

    @Override
    public void handleEvent(Event event) {
        CallerKeypad k = keypad;
        if (k != null) {
            // Queued on the keypad's own thread: an Event Admin handler must return quickly.
            k.onQueueEvent(event::getProperty);
        }
    }

    private void evaluationRequested(String window, String ticket) {
        EventAdmin ea = eventAdmin;
        if (ea == null) {
            return;
        }
        Map<String, Object> p = new java.util.HashMap<>();
        p.put(EvaluationRequest.WINDOW, window);
        CallerKeypad k = keypad;
        if (k != null) {
            p.put(EvaluationRequest.DEVICE, k.id());
        }
        if (ticket != null) {
            p.put(EvaluationRequest.TICKET, ticket);
        }
        ea.postEvent(new Event(EvaluationRequest.TOPIC, p));
    }
}
