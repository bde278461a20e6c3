package org.openhall.device.evaluator.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
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
 * A configured evaluator pad (factory PID {@code org.openhall.evaluator}): runs the driver,
 * registers it as a {@link Device} service (kind {@code evaluator}, with its window) and posts its
 * status changes; arms it when a transaction at its window ends and when the window's keypad asks
 * for a rating. A changed file that is bad is refused with file, key and reason, and the pad goes
 * on with its last good configuration. Never declares {@code openhall.required} (R5).
 */
@Component(configurationPid = "org.openhall.evaluator", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = { EvaluatorComponent.class, EventHandler.class },
        property = { EventConstants.EVENT_TOPIC + "=org/openhall/queue/service/finished",
                EventConstants.EVENT_TOPIC + "=" + EvaluationRequest.TOPIC })
@Designate(ocd = Ocds.Evaluator.class, factory = true)
public final class EvaluatorComponent implements EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(EvaluatorComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EventAdmin eventAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile HallQueue queue;

    /** Where the last key press is kept across restarts (data/devices/), when the home is known. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile HallHome home;

    private BundleContext context;
    private volatile EvaluatorPad pad;
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
        Duration timeout;
        Texts texts;
        try {
            ConfigReader p = new ConfigReader(properties);
            p.checkText();
            settings = BusConfig.read(p, "evaluator.id");
            timeout = Duration.ofSeconds(p.integer("timeoutSeconds", 60, 5, 180));
            texts = Texts.of(EvaluatorPad.class, properties);
        } catch (ConfigProblem p) {
            LOG.error(p.rejection(properties, ConfigProblem.lastGoodStays(pad != null, "the evaluator stays off")));
            return;
        }
        stop();
        EvaluatorPad e = new EvaluatorPad(settings, Clock.systemUTC(), s -> post(s, settings.windowId()), () -> queue, texts,
                timeout, pressStore(settings.id()));
        try {
            e.start();
        } catch (IllegalStateException ex) {
            LOG.error("Rejected configuration {}: key 'link': {}; the evaluator stays off", ConfigReader.source(properties),
                    ex.getMessage());
            e.close();
            return;
        }
        pad = e;
        LOG.info("Evaluator {} for window {} on {} address {}", settings.id(), settings.windowId(), settings.link(),
                settings.address());
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Device.ID, settings.id());
        props.put(Device.KIND, DeviceKinds.EVALUATOR);
        props.put(Device.WINDOW, settings.windowId());
        registration = context.registerService(Device.class, e, props);
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
        EvaluatorPad e = pad;
        pad = null;
        if (e != null) {
            e.close();
        }
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
    }

    /** The driver, or null when off (tests). */
    EvaluatorPad pad() {
        return pad;
    }

    private void post(DeviceState s, String window) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(DeviceEvents.topic(DeviceEvents.DEVICE_STATUS),
                    DeviceEvents.status(s, DeviceKinds.EVALUATOR, window)));
        }
    }

    @Override
    public void handleEvent(Event event) {
        EvaluatorPad e = pad;
        if (e != null) {
            // Queued on the pad's own thread: an Event Admin handler must return quickly.
            e.onEvent(event.getTopic(), event::getProperty);
        }
    }
}
