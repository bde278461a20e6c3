package org.openhall.device.printer.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.api.device.Device;
import org.openhall.api.device.DeviceDetail;
import org.openhall.api.device.DeviceEvents;
import org.openhall.api.device.DeviceKinds;
import org.openhall.api.device.DeviceState;
import org.openhall.api.device.DeviceStatus;
import org.openhall.api.device.Kiosk;
import org.openhall.api.device.KioskIssue;
import org.openhall.api.device.TicketPrinter;
import org.openhall.api.queue.Appointment;
import org.openhall.api.queue.CategoryView;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.HallSnapshot;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A configured kiosk (factory PID {@code org.openhall.kiosk}): issues through {@link HallQueue},
 * then prints outside any lock of the core on its printer, else its second printer, within the
 * print timeout; when neither prints, the result says so and the hall screens get the notice
 * "设备故障,暂停使用" (R5). Its printers are {@link TicketPrinter} services of any driver, found by
 * id. It is a {@link Device} too (kind {@code kiosk}): ONLINE while one of its printers is,
 * FAULT {@code NO_PRINTER} otherwise; registered by hand with {@value Device#ID} = its id.
 */
@Component(configurationPid = "org.openhall.kiosk", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = { Kiosk.class, EventHandler.class },
        property = EventConstants.EVENT_TOPIC + "=org/openhall/device/status")
@Designate(ocd = Ocds.Kiosk.class, factory = true)
public final class KioskComponent implements Kiosk, EventHandler, Device {

    private static final Logger LOG = LoggerFactory.getLogger(KioskComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile HallQueue queue;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EventAdmin eventAdmin;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile List<TicketPrinter> printers;

    private volatile Config.Kiosk config;
    private volatile Texts texts = Texts.defaults();
    private String id = "?";
    private boolean noticeActive;
    private volatile Instant since = Instant.now();
    private ServiceRegistration<Device> registration;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        configure(properties);
        if (config != null && context != null) {
            Hashtable<String, Object> p = new Hashtable<>();
            p.put(Device.ID, id);
            p.put(Device.KIND, DeviceKinds.KIOSK);
            registration = context.registerService(Device.class, this, p);
        }
    }

    @Deactivate
    void deactivate() {
        ServiceRegistration<Device> r = registration;
        registration = null;
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // the bundle is stopping: its services are gone already
            }
        }
    }

    /** Reads a configuration (without registering services: unit tests call it). Not named
     * activate: Declarative Services would prefer it to the one with the bundle context. */
    void configure(Map<String, Object> properties) {
        Object configuredId = properties.get(KIOSK_ID);
        id = configuredId == null ? "?" : configuredId.toString();
        try {
            config = Config.kiosk(properties);
        } catch (ConfigProblem p) {
            LOG.error("Rejected configuration {}: key '{}': {}; the kiosk issues nothing", ConfigReader.source(properties),
                    p.key(), p.reason());
            return;
        }
        texts = Texts.with(properties);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public KioskIssue issue(Request request, String categoryId, PriorityClass priority, String serviceItemId) {
        return issueAndPrint(categoryId, q -> q.issueTicket(request, categoryId, priority, serviceItemId));
    }

    @Override
    public KioskIssue checkIn(Request request, Appointment appointment) {
        return issueAndPrint(appointment.categoryId(), q -> q.checkIn(request, appointment));
    }

    /** Checks the kiosk offers the category, issues through the core, then prints (R5). */
    private KioskIssue issueAndPrint(String categoryId, Function<HallQueue, Result<IssuedTicket>> issue) {
        Config.Kiosk k = config;
        HallQueue q = queue;
        if (k == null) {
            return new KioskIssue(Result.error(ErrorCode.UNAVAILABLE, "kiosk " + id + " has no valid configuration"), false, null, null);
        }
        if (!k.categories().contains(categoryId)) {
            return new KioskIssue(Result.error(ErrorCode.UNKNOWN_CATEGORY, "kiosk " + id + " does not offer " + categoryId), false,
                    null, null);
        }
        if (q == null) {
            return new KioskIssue(Result.error(ErrorCode.UNAVAILABLE, "the queue core is not running"), false, null, null);
        }
        Result<IssuedTicket> r = issue.apply(q);
        if (!r.isOk()) {
            return new KioskIssue(r, false, null, null);
        }
        IssuedTicket issued = r.value();
        HallSnapshot s = q.snapshot();
        String category = s.categories().stream().filter(c -> c.id().equals(categoryId)).map(CategoryView::name)
                .findFirst().orElse(categoryId);
        String qr = k.qr() == null ? null : Layout.qrContent(k.qr(), issued.ticket().number(), categoryId, s.hallId());
        TicketPrinter.Ticket ticket = new TicketPrinter.Ticket(s.hallName(), category, issued, qr, k.footer(), k.zone());

        long deadline = System.nanoTime() + k.printTimeout().toNanos();
        List<String> order = new ArrayList<>();
        order.add(k.printer());
        if (k.printer2() != null) {
            order.add(k.printer2());
        }
        for (String printerId : order) {
            TicketPrinter p = find(printerId);
            long left = deadline - System.nanoTime();
            if (p == null || left <= 0) {
                continue;
            }
            if (p.printTicket(ticket, Duration.ofNanos(left))) {
                notice(false);
                return new KioskIssue(r, true, printerId, null);
            }
        }
        LOG.warn("Kiosk {}: ticket {} issued but not printed (printers {})", id, issued.ticket().number(), order);
        notice(true);
        return new KioskIssue(r, false, null, texts.get("deviceFault"));
    }

    /**
     * A status change of one of its printers: the notice for the hall screens goes up as soon as
     * none of them can print, not only when a citizen's ticket fails (R5), and down when one can.
     */
    @Override
    public void handleEvent(Event event) {
        Config.Kiosk k = config;
        Object device = event.getProperty(DeviceEvents.DEVICE);
        if (k == null || device == null || !(device.equals(k.printer()) || device.equals(k.printer2()))) {
            return;
        }
        notice(!anyPrinterOnline(k));
    }

    private boolean anyPrinterOnline(Config.Kiosk k) {
        for (String printerId : new String[] { k.printer(), k.printer2() }) {
            TicketPrinter p = printerId == null ? null : find(printerId);
            if (p != null && p.state().status() == DeviceStatus.ONLINE) {
                return true;
            }
        }
        return false;
    }

    private TicketPrinter find(String printerId) {
        List<TicketPrinter> all = printers;
        if (all == null) {
            return null;
        }
        for (TicketPrinter p : all) {
            if (printerId.equals(p.id())) {
                return p;
            }
        }
        return null;
    }

    @Override
    public String kind() {
        return DeviceKinds.KIOSK;
    }

    @Override
    public String windowId() {
        return null;
    }

    /** ONLINE while one of its printers is, else FAULT NO_PRINTER (R5); since the last change of its notice. */
    @Override
    public DeviceState state() {
        Config.Kiosk k = config;
        if (k != null && anyPrinterOnline(k)) {
            return new DeviceState(id, DeviceStatus.ONLINE, DeviceDetail.NONE, "", since);
        }
        return new DeviceState(id, DeviceStatus.FAULT, DeviceDetail.NO_PRINTER, texts.get("deviceFault"), since);
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of();
    }

    /** Posts the kiosk's notice for the hall screens when it changes (R5). */
    private void notice(boolean active) {
        synchronized (this) {
            if (noticeActive == active) {
                return;
            }
            noticeActive = active;
            since = Instant.now();
        }
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(DeviceEvents.topic(DeviceEvents.DEVICE_NOTICE),
                    DeviceEvents.notice(id, DeviceKinds.KIOSK, null, texts.get("deviceFault"), active, System.currentTimeMillis())));
            // The kiosk's own status follows its printers: ONLINE, or FAULT NO_PRINTER.
            ea.postEvent(new Event(DeviceEvents.topic(DeviceEvents.DEVICE_STATUS),
                    DeviceEvents.status(state(), DeviceKinds.KIOSK, null)));
        }
    }
}
