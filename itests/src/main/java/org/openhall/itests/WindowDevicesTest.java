package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.device.Device;
import org.openhall.api.device.DeviceKinds;
import org.openhall.api.device.DeviceStatus;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.WindowState;
import org.openhall.api.queue.WindowView;
import org.openhall.api.runtime.HallHome;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * A window's caller keypad and evaluator in the shipped runtime (issue 10): configured by files in
 * etc/, on an RS-485 bus behind a serial-to-Ethernet converter ({@link Rs485Bus}), registered as
 * Device services bound to their window, driving the real queue core, the evaluator armed by the
 * core's service.finished event through Event Admin (R7), and a bad file refused while the keypad
 * keeps its last good configuration.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class WindowDevicesTest {

    static final String WINDOW = "2";
    static final String STAFF = "1004";

    @InjectBundleContext
    BundleContext context;

    @InjectService
    HallHome home;

    @InjectService(timeout = 30_000)
    HallQueue queue;

    @InjectService
    ConfigurationAdmin configAdmin;

    Optional<Device> device(String id) {
        try {
            Collection<ServiceReference<Device>> refs = context.getServiceReferences(Device.class, "(" + Device.ID + "=" + id + ")");
            return refs.stream().findFirst().map(r -> {
                assertEquals(WINDOW, r.getProperty(Device.WINDOW));
                return context.getService(r);
            });
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    Rs485Bus.Shown press(Rs485Bus bus, int key, String input) {
        int before = bus.keypadDisplay.size();
        bus.pressKey(key, input);
        Poll.until("the keypad's display answers key " + key, () -> bus.keypadDisplay.size() > before && bus.idle());
        return bus.keypadDisplay.get(bus.keypadDisplay.size() - 1);
    }

    WindowView window() {
        return queue.snapshot().windows().stream().filter(w -> w.id().equals(WINDOW)).findFirst().orElseThrow();
    }

    @Test
    void aKeypadAndAnEvaluatorServeAndRateATransactionAtTheirWindow() throws Exception {
        Path keypadCfg = home.etc().resolve("org.openhall.keypad-itest.cfg");
        Path evaluatorCfg = home.etc().resolve("org.openhall.evaluator-itest.cfg");
        try (Rs485Bus bus = new Rs485Bus(); EventRecorder events = new EventRecorder(context)) {
            String common = "window=" + WINDOW + "\nlink=tcp:127.0.0.1:" + bus.port() + "\npollMillis=50\nanswerTimeoutMillis=300\n";
            PrinterUpdateTest.write(keypadCfg, "keypad.id=it-keypad\naddress=1\n" + common);
            PrinterUpdateTest.write(evaluatorCfg, "evaluator.id=it-eval\naddress=2\ntimeoutSeconds=60\n" + common);
            Device keypad = Poll.until("the keypad's Device service", Duration.ofSeconds(30), () -> device("it-keypad"));
            Device evaluator = Poll.until("the evaluator's Device service", Duration.ofSeconds(30), () -> device("it-eval"));
            assertEquals(DeviceKinds.CALLER_KEYPAD, keypad.kind());
            assertEquals(DeviceKinds.EVALUATOR, evaluator.kind());
            Poll.until("both ONLINE", () -> keypad.state().status() == DeviceStatus.ONLINE
                    && evaluator.state().status() == DeviceStatus.ONLINE);

            // Window binding: the keypad cannot act at another window.
            assertEquals(ErrorCode.BAD_CREDENTIALS,
                    queue.callNext(Request.by(Actor.device("it-keypad"), UUID.randomUUID().toString()), "3").error().code());

            assertEquals(0, press(bus, 0x0A, STAFF + "*" + QueueCoreTest.DEMO_PIN).flagsOrToken(), "signed in (R17)");
            assertEquals(STAFF, window().staffId());
            assertTrue(queue.issueTicket(Request.by(Actor.device("kiosk1"), UUID.randomUUID().toString()), "C",
                    PriorityClass.NORMAL, null).isOk());
            String called = press(bus, 0x01, "").text();
            assertEquals(window().ticketNumber(), called, "the display shows the called ticket");
            press(bus, 0x03, "");
            assertEquals(WindowState.SERVING, window().state());
            press(bus, 0x04, "");
            Poll.until("the evaluator armed for " + called, () -> bus.armed()
                    && bus.evaluatorDisplay.get(bus.evaluatorDisplay.size() - 1).text().startsWith(called + "\n"));
            bus.rate(4);
            Event rated = Poll.until("the rating recorded", Duration.ofSeconds(30), () -> events.all().stream()
                    .filter(e -> QueueEvents.EVALUATION_RECORDED.equals(e.getProperty(QueueEvents.TYPE))
                            && called.equals(e.getProperty(QueueEvents.TICKET)))
                    .findFirst());
            assertEquals(4, ((Number) rated.getProperty(QueueEvents.LEVEL)).intValue());
            assertEquals(WINDOW, rated.getProperty(QueueEvents.WINDOW));
            assertEquals(STAFF, rated.getProperty(QueueEvents.STAFF));
            assertEquals("DEVICE:it-eval", rated.getProperty(QueueEvents.ACTOR));
            Poll.until("the pad thanked and cleared", () -> !bus.armed());

            // A bad file is refused: the keypad keeps its last good configuration and works on.
            PrinterUpdateTest.write(keypadCfg, "keypad.id=it-keypad\naddress=999\n" + common);
            Poll.until("Config Admin has the bad file", () -> {
                try {
                    Configuration[] cs = configAdmin.listConfigurations("(keypad.id=it-keypad)");
                    return cs != null && Arrays.stream(cs).anyMatch(c -> "999".equals(String.valueOf(c.getProperties().get("address"))));
                } catch (Exception e) {
                    return false;
                }
            });
            assertEquals(0, press(bus, 0x0B, "").flagsOrToken(), "signed out through the last good configuration");
            assertEquals(WindowState.CLOSED, window().state());
            assertTrue(device("it-keypad").isPresent(), "still registered");
        } finally {
            if (window().state() != WindowState.CLOSED) {
                queue.closeWindow(Request.by(Actor.staff(STAFF)), WINDOW);
            }
            Files.deleteIfExists(keypadCfg);
            Files.deleteIfExists(evaluatorCfg);
            Poll.until("the devices removed with their files", () -> device("it-keypad").isEmpty() && device("it-eval").isEmpty());
            Poll.until("their threads ended", () -> Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .noneMatch(n -> List.of("openhall-caller-keypad-it-keypad", "openhall-evaluator-it-eval").contains(n)));
        }
    }
}
