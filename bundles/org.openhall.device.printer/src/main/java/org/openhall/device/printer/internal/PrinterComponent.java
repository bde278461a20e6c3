package org.openhall.device.printer.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.api.device.DeviceEvents;
import org.openhall.api.device.DeviceState;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.Outcome;
import org.openhall.api.queue.QueueEvents;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
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
 * A configured ESC/POS printer (factory PID {@code org.openhall.printer}): runs the driver, posts
 * its status changes, and prints the one-time notification slip (R8) when a transaction at one of
 * its windows ends as materials incomplete. Never declares {@code openhall.required} (R5).
 */
@Component(configurationPid = "org.openhall.printer", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = { PrinterComponent.class, EventHandler.class },
        property = EventConstants.EVENT_TOPIC + "=org/openhall/queue/service/finished")
@Designate(ocd = Ocds.Printer.class, factory = true)
public final class PrinterComponent implements EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(PrinterComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EventAdmin eventAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile HallQueue queue;

    private volatile Config.Printer config;
    private volatile TicketPrinter printer;
    private volatile Texts texts = Texts.defaults();

    @Activate
    void activate(Map<String, Object> properties) {
        try {
            config = Config.printer(properties);
        } catch (ConfigProblem p) {
            LOG.error("Rejected configuration {}: key '{}': {}; the printer stays off", ConfigReader.source(properties), p.key(),
                    p.reason());
            return;
        }
        texts = Texts.with(properties);
        LOG.info("Printer {} on {}", config.settings().id(), config.settings().link());
        try {
            printer = new TicketPrinter(config.settings(), Clock.systemUTC(), this::post);
        } catch (IllegalStateException e) {
            // One owner per port: another printer (or device) has this link already.
            LOG.error("Rejected configuration {}: key 'link': {}; the printer stays off", ConfigReader.source(properties),
                    e.getMessage());
            config = null;
            return;
        }
    }

    @Deactivate
    void deactivate() {
        TicketPrinter p = printer;
        printer = null;
        if (p != null) {
            p.close();
        }
    }

    /** The configured id, or null when the configuration was rejected. */
    String id() {
        Config.Printer c = config;
        return c == null ? null : c.settings().id();
    }

    /** The driver, or null when off. */
    TicketPrinter printer() {
        return printer;
    }

    private void post(DeviceState s) {
        EventAdmin ea = eventAdmin;
        if (ea == null) {
            return;
        }
        ea.postEvent(new Event(DeviceEvents.topic(DeviceEvents.DEVICE_STATUS), Map.of(
                DeviceEvents.TYPE, DeviceEvents.DEVICE_STATUS,
                DeviceEvents.TIME, s.since().toEpochMilli(),
                DeviceEvents.DEVICE, s.deviceId(),
                DeviceEvents.KIND, "ticket-printer",
                DeviceEvents.STATUS, s.status().name(),
                DeviceEvents.DETAIL, s.detail(),
                DeviceEvents.TEXT, s.text())));
    }

    @Override
    public void handleEvent(Event event) {
        Config.Printer c = config;
        TicketPrinter p = printer;
        Object window = event.getProperty(QueueEvents.WINDOW);
        if (c == null || p == null || window == null || !c.windows().contains(window.toString())
                || !Outcome.MATERIALS_INCOMPLETE.name().equals(event.getProperty(QueueEvents.OUTCOME))) {
            return;
        }
        Object m = event.getProperty(QueueEvents.MISSING_MATERIALS);
        List<String> missing = m instanceof String[] a ? List.of(a) : m instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
        Object time = event.getProperty(QueueEvents.TIME);
        HallQueue q = queue;
        String hallName = q == null ? "" : q.snapshot().hallName();
        byte[] slip = Layout.slip(texts, hallName, String.valueOf(event.getProperty(QueueEvents.TICKET)), window.toString(),
                missing, time instanceof Long t ? java.time.Instant.ofEpochMilli(t) : java.time.Instant.now(), c.zone());
        // Queued on the printer's own thread: an Event Admin handler must return quickly.
        if (!p.printLater(slip)) {
            LOG.warn("One-time notification slip of {} at window {} not printed: printer {} is {}",
                    event.getProperty(QueueEvents.TICKET), window, c.settings().id(), p.state().status());
        }
    }
}
