package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.device.DeviceEvents;
import org.openhall.api.device.Kiosk;
import org.openhall.api.device.KioskIssue;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.Request;
import org.openhall.api.runtime.HallHome;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.osgi.util.tracker.ServiceTracker;

/**
 * R5 at the kiosk: failover to the second printer, a ticket issued but reported as not printed
 * when no printer prints, the notice for the hall screens, device status events, and a printer
 * that hangs holding up issuing no longer than the print timeout.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class KioskTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService
    HallHome home;

    @InjectService(timeout = 30_000)
    HallQueue queue;

    @Test
    void failsOverReportsUnprintedTicketsAndNeverWaitsLongerThanTheTimeout() throws Exception {
        Path dead = home.etc().resolve("org.openhall.printer-kt-dead.cfg");
        Path live = home.etc().resolve("org.openhall.printer-kt-live.cfg");
        Path kiosk = home.etc().resolve("org.openhall.kiosk-kt.cfg");
        List<Event> events = new ArrayList<>();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, DeviceEvents.TOPIC_ALL);
        ServiceRegistration<EventHandler> recorder = context.registerService(EventHandler.class, e -> {
            synchronized (events) {
                events.add(e);
            }
        }, props);
        ServiceTracker<Kiosk, Kiosk> kiosks = new ServiceTracker<>(context,
                FrameworkUtil.createFilter("(&(objectClass=" + Kiosk.class.getName() + ")(" + Kiosk.KIOSK_ID + "=kt))"), null);
        kiosks.open();
        try (NetworkPrinter printer = new NetworkPrinter()) {
            PrinterUpdateTest.write(dead, "printer.id=kt-dead\nlink=serial:" + home.data().resolve("no-such-port") + "\n");
            PrinterUpdateTest.write(live, "printer.id=kt-live\nlink=tcp:127.0.0.1:" + printer.port()
                    + "\npollMillis=200\nanswerTimeoutMillis=200\nattempts=1\n");
            PrinterUpdateTest.write(kiosk, "kiosk.id=kt\nprinter=kt-dead\nprinter2=kt-live\ncategories=C\n"
                    + "printTimeoutMillis=1500\n");
            Kiosk k = Poll.until("kiosk kt", Duration.ofSeconds(20), () -> Optional.ofNullable(kiosks.getService()));

            // The first printer has no port: the second prints.
            KioskIssue failover = Poll.until("a ticket printed on the second printer", Duration.ofSeconds(20), () -> {
                KioskIssue r = k.issue(Request.by(Actor.device("kt")), "C", PriorityClass.NORMAL);
                return r.printed() ? Optional.of(r) : Optional.empty();
            });
            assertEquals("kt-live", failover.printerId());
            String number = failover.ticket().value().ticket().number();
            Poll.until("the failover ticket on paper", () -> printer.text().contains(number));
            // An appointment checked in at the kiosk is printed like an issued ticket (R10, R5).
            java.time.Instant slot = java.time.Instant.now().plus(Duration.ofMinutes(5));
            KioskIssue checkedIn = k.checkIn(Request.by(Actor.device("kt")),
                    new org.openhall.api.queue.Appointment("KT-" + System.nanoTime(), "C", slot, slot.plus(Duration.ofMinutes(30))));
            assertTrue(checkedIn.ticket().isOk(), () -> "check-in: " + checkedIn.ticket());
            assertTrue(checkedIn.printed(), "the check-in's ticket printed");
            String checkedInNumber = checkedIn.ticket().value().ticket().number();
            Poll.until("the check-in's ticket on paper", () -> printer.text().contains(checkedInNumber));
            Poll.until("status events of both printers", () -> {
                synchronized (events) {
                    return events.stream().anyMatch(e -> "kt-dead".equals(e.getProperty(DeviceEvents.DEVICE))
                            && "OFFLINE".equals(e.getProperty(DeviceEvents.STATUS)))
                            && events.stream().anyMatch(e -> "kt-live".equals(e.getProperty(DeviceEvents.DEVICE))
                                    && "ONLINE".equals(e.getProperty(DeviceEvents.STATUS)));
                }
            });

            // The second printer hangs: issuing still returns within the print timeout, the
            // ticket exists but is not counted as printed, and the screens get the notice.
            printer.silent = true;
            long t0 = System.nanoTime();
            KioskIssue hung = k.issue(Request.by(Actor.device("kt")), "C", PriorityClass.NORMAL);
            long took = Duration.ofNanos(System.nanoTime() - t0).toMillis();
            assertTrue(took < 1500 + 1000, "issuing took " + took + " ms with a hung printer");
            assertTrue(hung.ticket().isOk(), "the ticket is issued all the same");
            assertFalse(hung.printed());
            assertNull(hung.printerId());
            assertEquals("设备故障,暂停使用", hung.notice());
            assertTrue(queue.ticket(hung.ticket().value().ticket().number()).isPresent());
            Poll.until("the notice for the hall screens", () -> {
                synchronized (events) {
                    return events.stream().anyMatch(e -> DeviceEvents.DEVICE_NOTICE.equals(e.getProperty(DeviceEvents.TYPE))
                            && "kt".equals(e.getProperty(DeviceEvents.DEVICE)) && Boolean.TRUE.equals(e.getProperty(DeviceEvents.ACTIVE)));
                }
            });
            // A category the kiosk does not offer is refused.
            assertFalse(k.issue(Request.by(Actor.device("kt")), "A", PriorityClass.NORMAL).ticket().isOk());
        } finally {
            recorder.unregister();
            Files.deleteIfExists(kiosk);
            Files.deleteIfExists(live);
            Files.deleteIfExists(dead);
            Poll.until("the kiosk configuration removed", () -> kiosks.getService() == null);
            kiosks.close();
        }
    }
}
