package org.openhall.device.printer.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.api.device.Device;
import org.openhall.api.device.DeviceDetail;
import org.openhall.api.device.DeviceEvents;
import org.openhall.api.device.DeviceKinds;
import org.openhall.api.device.DeviceState;
import org.openhall.api.device.DeviceStatus;
import org.openhall.api.device.TicketPrinter;
import org.openhall.device.serial.Counters;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.Outcome;
import org.openhall.api.queue.QueueEvents;
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
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A configured ESC/POS printer (factory PID {@code org.openhall.printer}): runs the driver, posts
 * its status changes, and prints the one-time notification slip (R8) when a transaction at one of
 * its windows ends as materials incomplete. Never declares {@code openhall.required} (R5).
 *
 * <p>For the rest of the hall it is a {@link TicketPrinter} and a {@link Device}, registered with
 * the service property {@value Device#ID} = its configured id once its configuration is accepted
 * (by hand, because a Declarative Services component's properties cannot be renamed from its
 * configuration's {@code id}), and unregistered when it goes.
 */
@Component(configurationPid = "org.openhall.printer", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = { PrinterComponent.class, EventHandler.class },
        property = EventConstants.EVENT_TOPIC + "=org/openhall/queue/service/finished")
@Designate(ocd = Ocds.Printer.class, factory = true)
public final class PrinterComponent implements EventHandler, TicketPrinter {

    private static final Logger LOG = LoggerFactory.getLogger(PrinterComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EventAdmin eventAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile HallQueue queue;

    private volatile Config.Printer config;
    private volatile Printer printer;
    private volatile Texts texts = Texts.defaults();
    private volatile Instant since = Instant.now();
    private ServiceRegistration<?> registration;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        configure(properties);
        Config.Printer c = config;
        if (c != null && context != null) {
            Hashtable<String, Object> p = new Hashtable<>();
            p.put(Device.ID, c.settings().id());
            p.put(Device.KIND, DeviceKinds.TICKET_PRINTER);
            registration = context.registerService(new String[] { TicketPrinter.class.getName(), Device.class.getName() },
                    this, p);
        }
    }

    /** Runs the driver for a configuration (without registering services: unit tests call it). Not named
     * activate: Declarative Services would prefer it to the one with the bundle context. */
    void configure(Map<String, Object> properties) {
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
            printer = new Printer(config.settings(), Clock.systemUTC(), this::post);
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
        ServiceRegistration<?> r = registration;
        registration = null;
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // the bundle is stopping: its services are gone already
            }
        }
        Printer p = printer;
        printer = null;
        if (p != null) {
            p.close();
        }
    }

    /** The configured id, or null when the configuration was rejected. */
    @Override
    public String id() {
        Config.Printer c = config;
        return c == null ? null : c.settings().id();
    }

    @Override
    public String kind() {
        return DeviceKinds.TICKET_PRINTER;
    }

    /** A printer belongs to the hall (a kiosk), not to a window; the windows it prints slips for are in its configuration. */
    @Override
    public String windowId() {
        return null;
    }

    @Override
    public DeviceState state() {
        Printer p = printer;
        if (p != null) {
            return p.state();
        }
        String id = id();
        return new DeviceState(id == null ? "?" : id, DeviceStatus.OFFLINE, DeviceDetail.NO_PORT, "not running", since);
    }

    @Override
    public Map<String, Long> counters() {
        Printer p = printer;
        if (p == null) {
            return Map.of();
        }
        Counters c = p.endpoint().counters();
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("bytesOut", c.bytesOut());
        m.put("bytesIn", c.bytesIn());
        m.put("framesOut", c.framesOut());
        m.put("framesIn", c.framesIn());
        m.put("garbled", c.garbled());
        m.put("errors", c.errors());
        return m;
    }

    @Override
    public boolean printTicket(TicketPrinter.Ticket ticket, Duration timeout) {
        Printer p = printer;
        if (p == null || ticket == null) {
            return false;
        }
        byte[] job = Layout.ticket(texts, ticket.hallName(), ticket.categoryName(), ticket.issued(), ticket.qrContent(),
                ticket.footer(), ticket.zone());
        return p.print(job, timeout);
    }

    /** The driver, or null when off. */
    Printer printer() {
        return printer;
    }

    private void post(DeviceState s) {
        since = s.since();
        EventAdmin ea = eventAdmin;
        if (ea == null) {
            return;
        }
        ea.postEvent(new Event(DeviceEvents.topic(DeviceEvents.DEVICE_STATUS),
                DeviceEvents.status(s, DeviceKinds.TICKET_PRINTER, null)));
    }

    @Override
    public void handleEvent(Event event) {
        Config.Printer c = config;
        Printer p = printer;
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
