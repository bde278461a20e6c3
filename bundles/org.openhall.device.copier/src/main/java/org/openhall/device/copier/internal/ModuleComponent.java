package org.openhall.device.copier.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.api.copy.CopyCounts;
import org.openhall.api.device.Device;
import org.openhall.api.device.DeviceDetail;
import org.openhall.api.device.DeviceEvents;
import org.openhall.api.device.DeviceKinds;
import org.openhall.api.device.DeviceState;
import org.openhall.api.device.DeviceStatus;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.Alert;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A configured copy counter module (factory PID {@code org.openhall.copier}): polls it, registers
 * one {@link Device} service per copier (kind {@code copy-counter}), posts their status events and
 * the counted pages, and raises the alert {@code copier:<id>} (kind {@code COPIER_FAULT}, R19) while
 * a copier is jammed or out of paper, cleared when it is back. Never {@code openhall.required} (R5).
 */
@Component(configurationPid = "org.openhall.copier", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = ModuleComponent.class)
@Designate(ocd = Ocds.Module.class, factory = true)
public final class ModuleComponent {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleComponent.class);
    /** Alert kind of a copier fault. */
    static final String ALERT_KIND = "COPIER_FAULT";
    static final Actor ACTOR = Actor.system("copier");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EventAdmin eventAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile HallQueue queue;

    private final CopierHub hub;
    private final Bus bus;
    private final ModulePoller poller;
    private final List<ServiceRegistration<Device>> registrations = new ArrayList<>();
    /** Copier id to whether its alert should be active (true), cleared (false); applied when the queue is there. */
    private final Map<String, Boolean> alertWanted = new ConcurrentHashMap<>();
    private final Map<String, Boolean> alertApplied = new ConcurrentHashMap<>();
    private final Map<String, String> alertText = new ConcurrentHashMap<>();
    private final Map<String, String> categories = new ConcurrentHashMap<>();

    @Activate
    public ModuleComponent(@Reference CopierHub hub, BundleContext context, Map<String, Object> properties) {
        this.hub = hub;
        String source = ConfigReader.source(properties);
        Config.Module m;
        try {
            m = Config.module(properties);
        } catch (ConfigProblem p) {
            LOG.error("Rejected configuration {}: key '{}': {}; the module stays off", source, p.key(), p.reason());
            bus = null;
            poller = null;
            return;
        }
        if (hub.store() == null) {
            LOG.error("Copy counter module {} ({}) stays off: the copy count store is unavailable", m.id(), source);
            bus = null;
            poller = null;
            return;
        }
        Bus b;
        try {
            b = hub.attach(m.link());
        } catch (IllegalStateException e) {
            LOG.error("Rejected configuration {}: key 'link': {}; the module stays off", source, e.getMessage());
            bus = null;
            poller = null;
            return;
        }
        String template = m.faultText() != null ? m.faultText() : defaultFaultText();
        ModulePoller p = new ModulePoller(m, b, hub.store(), Clock.systemUTC(), new Sink(m, template));
        try {
            hub.register(p);
        } catch (IllegalStateException e) {
            LOG.error("Rejected configuration {}: key 'copiers': {}; the module stays off", source, e.getMessage());
            hub.detach(b);
            bus = null;
            poller = null;
            return;
        }
        bus = b;
        poller = p;
        for (CopierDevice d : p.devices()) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(Device.ID, d.id());
            props.put(Device.KIND, DeviceKinds.COPY_COUNTER);
            props.put("copier.module", m.id());
            registrations.add(context.registerService(Device.class, d, props));
        }
        LOG.info("Copy counter module {} (unit {} on {}): copiers {}", m.id(), m.unitId(), m.link(),
                m.copiers().stream().map(Config.Copier::id).toList());
        p.start();
    }

    @Deactivate
    void deactivate() {
        if (poller != null) {
            poller.close();
            hub.unregister(poller);
        }
        for (ServiceRegistration<Device> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping: the framework unregistered it
            }
        }
        registrations.clear();
        if (bus != null) {
            hub.detach(bus);
        }
    }

    /** The poller, or null when the configuration was rejected (tests). */
    ModulePoller poller() {
        return poller;
    }

    private static String defaultFaultText() {
        Properties p = new Properties();
        try (InputStream in = ModuleComponent.class.getResourceAsStream("texts.properties")) {
            if (in != null) {
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            LOG.warn("texts.properties unreadable: {}", e.toString());
        }
        return p.getProperty("fault", "{name}{detail},请处理");
    }

    private final class Sink implements ModulePoller.Sink {
        private final Config.Module module;
        private final String template;

        Sink(Config.Module module, String template) {
            this.module = module;
            this.template = template;
        }

        @Override
        public void status(Config.Copier copier, DeviceState state, boolean first) {
            EventAdmin ea = eventAdmin;
            if (ea != null) {
                ea.postEvent(new Event(DeviceEvents.topic(DeviceEvents.DEVICE_STATUS),
                        DeviceEvents.status(state, DeviceKinds.COPY_COUNTER, null)));
            }
            // R19: a jam or an empty tray raises an alert naming the copier; back ONLINE clears it. OFFLINE
            // (no answer from the module) says nothing about the copier itself: the alert stays as it is.
            if (state.status() == DeviceStatus.FAULT && !DeviceDetail.OTHER.equals(state.detail())) {
                alertText.put(copier.id(), template.replace("{name}", copier.name()).replace("{id}", copier.id())
                        .replace("{detail}", DeviceDetail.text(state.detail())));
                if (module.category() != null) {
                    categories.put(copier.id(), module.category());
                }
                alertWanted.put(copier.id(), true);
            } else if (state.status() == DeviceStatus.ONLINE) {
                alertWanted.put(copier.id(), false);
            }
        }

        @Override
        public void counted(Config.Copier copier, long pages, LocalDate day) {
            EventAdmin ea = eventAdmin;
            if (ea != null) {
                ea.postEvent(new Event(CopyCounts.TOPIC, Map.of(DeviceEvents.TYPE, CopyCounts.TYPE, CopyCounts.COPIER, copier.id(),
                        CopyCounts.PAGES, pages, CopyCounts.DAY, day.toString(), DeviceEvents.TIME, System.currentTimeMillis())));
            }
        }

        /** Applies the alerts wanted (on the poller's thread: the queue's answer is durable, never in an event handler). */
        @Override
        public void polled() {
            HallQueue q = queue;
            if (q == null) {
                return;
            }
            for (Map.Entry<String, Boolean> e : alertWanted.entrySet()) {
                String id = e.getKey();
                boolean want = e.getValue();
                if (Boolean.valueOf(want).equals(alertApplied.get(id))) {
                    continue;
                }
                String alertId = "copier:" + id;
                Result<?> r = want
                        ? q.raiseAlert(Request.by(ACTOR), Alert.of(alertId, ALERT_KIND, categories.get(id), null, alertText.get(id)))
                        : q.clearAlert(Request.by(ACTOR), alertId);
                if (r.isOk()) {
                    alertApplied.put(id, want);
                    if (want || Boolean.TRUE.equals(r.value())) { // clearing an alert that was not active says nothing
                        LOG.info("Copier {}: alert {} {}", id, alertId, want ? "raised" : "cleared");
                    }
                } else {
                    LOG.warn("Copier {}: alert {} not {} ({}); tried again at the next poll", id, alertId, want ? "raised" : "cleared", r);
                }
            }
        }
    }
}
