package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.device.Device;
import org.openhall.api.device.DeviceEvents;
import org.openhall.api.device.DeviceKinds;
import org.openhall.api.device.DeviceStatus;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.openhall.api.queue.TicketView;
import org.openhall.api.queue.WindowView;
import org.openhall.api.runtime.HallHome;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Window displays in the real runtime, driven by the real queue core: two displays on one bus
 * (behind a serial-to-Ethernet converter on a local TCP port) configured by files in etc/, the
 * texts of call, recall, pause, staff and closing (R4, R12, R14), a display that loses its power
 * going OFFLINE with a notice for the hall screens while the other keeps showing (R5) and getting
 * its content back at once, and a bad configuration change that leaves the last good one working.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class DisplayTest {

    static final String STAFF = "1003";
    static final Duration WAIT = Duration.ofSeconds(20);

    @InjectBundleContext
    BundleContext context;

    @InjectService
    HallHome home;

    @InjectService(timeout = 30_000)
    HallQueue queue;

    @InjectService
    ConfigurationAdmin configAdmin;

    static Request staff() {
        return Request.by(Actor.staff(STAFF), UUID.randomUUID().toString());
    }

    static void awaitShows(DisplayBus bus, int address, String text, boolean blink) {
        DisplayBus.Shown want = new DisplayBus.Shown(text, blink);
        Poll.until("display " + address + " shows " + want + " (shows " + bus.current(address) + ")", WAIT,
                () -> want.equals(bus.current(address)) ? Optional.of(true) : Optional.empty());
    }

    static String config(String id, String window, int port, int address, String extra) {
        return "display.id=" + id + "\nwindow=" + window + "\nlink=tcp:127.0.0.1:" + port + "\naddress=" + address
                + "\nblinkSeconds=1\npollMillis=300\nanswerTimeoutMillis=200\n" + extra;
    }

    @Test
    void displaysShowTheirWindowsFromTheCoreAndSurviveALostDisplayAndABadFile() throws Exception {
        Path three = home.etc().resolve("org.openhall.display-it3.cfg");
        Path four = home.etc().resolve("org.openhall.display-it4.cfg");
        List<Event> events = new ArrayList<>();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, DeviceEvents.TOPIC_ALL);
        ServiceRegistration<EventHandler> recorder = context.registerService(EventHandler.class, e -> {
            synchronized (events) {
                events.add(e);
            }
        }, props);
        ServiceTracker<Device, Device> devices = new ServiceTracker<>(context, FrameworkUtil.createFilter("(&(objectClass="
                + Device.class.getName() + ")(" + Device.KIND + "=" + DeviceKinds.WINDOW_DISPLAY + ")(" + Device.ID + "=it*))"),
                null);
        devices.open();
        queue.closeWindow(staff(), "3");
        try (DisplayBus bus = new DisplayBus(1, 2)) {
            PrinterUpdateTest.write(three, config("it3", "3", bus.port(), 1, ""));
            PrinterUpdateTest.write(four, config("it4", "4", bus.port(), 2, ""));
            Device d3 = Poll.until("the Device service of it3 ONLINE", WAIT, () -> device(devices, "it3")
                    .filter(d -> d.state().status() == DeviceStatus.ONLINE));
            assertEquals("3", d3.windowId());
            Device d4 = Poll.until("the Device service of it4 ONLINE", WAIT, () -> device(devices, "it4")
                    .filter(d -> d.state().status() == DeviceStatus.ONLINE));
            awaitShows(bus, 1, "此窗口已关闭", false);
            Poll.until("display 4 shows its window", () -> bus.current(2) != null); // window 4 may be open or not
            Poll.until("an ONLINE status event of it3 with its kind and window", () -> {
                synchronized (events) {
                    return events.stream().anyMatch(e -> "it3".equals(e.getProperty(DeviceEvents.DEVICE))
                            && DeviceKinds.WINDOW_DISPLAY.equals(e.getProperty(DeviceEvents.KIND))
                            && "3".equals(e.getProperty(DeviceEvents.WINDOW))
                            && "ONLINE".equals(e.getProperty(DeviceEvents.STATUS)));
                }
            });

            // R12: signed in, the display shows window, staff name and number.
            Result<WindowView> opened = queue.openWindow(staff(), "3", STAFF, QueueCoreTest.DEMO_PIN);
            assertTrue(opened.isOk(), () -> "open window 3: " + opened);
            String idle = "3号窗口 " + opened.value().staffName() + " " + STAFF;
            awaitShows(bus, 1, idle, false);

            // R14: a call blinks, then stays; a recall blinks again.
            queue.issueTicket(QueueCoreTest.kiosk(), "B", PriorityClass.NORMAL, null).value();
            TicketView called = queue.callNext(staff(), "3").value();
            String call = "请" + called.number() + "号";
            awaitShows(bus, 1, call, true);
            awaitShows(bus, 1, call, false);
            assertTrue(queue.recall(staff(), "3").isOk());
            awaitShows(bus, 1, call, true);
            awaitShows(bus, 1, call, false);

            // R4: a brief pause, and a suspension (the called ticket goes back to the queue).
            assertTrue(queue.pause(staff(), "3", PauseKind.BRIEF, "片刻").isOk());
            awaitShows(bus, 1, "对不起,请稍候", false);
            assertTrue(queue.resume(staff(), "3").isOk());
            awaitShows(bus, 1, call, false);
            assertTrue(queue.pause(staff(), "3", PauseKind.SUSPENDED, "系统维护").isOk());
            awaitShows(bus, 1, "此窗口暂停服务", false);

            // R5: display 4 loses its power: OFFLINE, a notice for the hall screens; display 3 goes on.
            bus.power(2, false);
            Poll.until("it4 OFFLINE NO_ANSWER (now " + d4.state() + ")",
                    () -> d4.state().status() == DeviceStatus.OFFLINE && "NO_ANSWER".equals(d4.state().detail()));
            Poll.until("the notice of it4 for the hall screens", () -> {
                synchronized (events) {
                    return events.stream().anyMatch(e -> DeviceEvents.DEVICE_NOTICE.equals(e.getProperty(DeviceEvents.TYPE))
                            && "it4".equals(e.getProperty(DeviceEvents.DEVICE))
                            && Boolean.TRUE.equals(e.getProperty(DeviceEvents.ACTIVE)));
                }
            });
            assertTrue(queue.resume(staff(), "3").isOk());
            awaitShows(bus, 1, idle, false);
            // Power back: display 4 shows its window again at once, without an event of window 4.
            String fourBefore = bus.shown(2).isEmpty() ? null : bus.shown(2).get(bus.shown(2).size() - 1).text();
            bus.power(2, true);
            Poll.until("display 4 shows its content again (" + fourBefore + ")",
                    () -> bus.current(2) != null && bus.current(2).text().equals(fourBefore));
            Poll.until("it4 ONLINE", () -> d4.state().status() == DeviceStatus.ONLINE);
            Poll.until("the notice of it4 withdrawn", () -> {
                synchronized (events) {
                    return events.stream().anyMatch(e -> DeviceEvents.DEVICE_NOTICE.equals(e.getProperty(DeviceEvents.TYPE))
                            && "it4".equals(e.getProperty(DeviceEvents.DEVICE))
                            && Boolean.FALSE.equals(e.getProperty(DeviceEvents.ACTIVE)));
                }
            });

            // A bad change of the file: refused, the display goes on with its last good configuration.
            PrinterUpdateTest.write(three, config("it3", "3", bus.port(), 0, ""));
            Poll.until("Config Admin has the bad file", () -> address(configAdmin, "it3").equals("0"));
            long polls = d3.counters().get("polls");
            // Two polls later the component has seen the update (and logged file, key and reason).
            Poll.until("two more polls of it3", () -> d3.counters().get("polls") >= polls + 2);
            assertTrue(device(devices, "it3").isPresent(), "the display is still registered");
            assertTrue(queue.pause(staff(), "3", PauseKind.BRIEF, "片刻").isOk());
            awaitShows(bus, 1, "对不起,请稍候", false);
            assertTrue(queue.resume(staff(), "3").isOk());
            awaitShows(bus, 1, idle, false);

            assertTrue(queue.closeWindow(staff(), "3").isOk());
            awaitShows(bus, 1, "此窗口已关闭", false);
        } finally {
            queue.closeWindow(staff(), "3");
            recorder.unregister();
            Files.deleteIfExists(three);
            Files.deleteIfExists(four);
            Poll.until("the display configurations removed", () -> device(devices, "it3").isEmpty()
                    && device(devices, "it4").isEmpty());
            devices.close();
        }
    }

    static String address(ConfigurationAdmin admin, String id) {
        try {
            Configuration[] c = admin.listConfigurations("(display.id=" + id + ")");
            return c == null || c.length == 0 ? "" : String.valueOf(c[0].getProperties().get("address"));
        } catch (Exception e) {
            return "";
        }
    }

    static Optional<Device> device(ServiceTracker<Device, Device> devices, String id) {
        Object[] all = devices.getServices();
        if (all == null) {
            return Optional.empty();
        }
        for (Object o : all) {
            Device d = (Device) o;
            if (d.id().equals(id)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
