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

    /** The number after {@code "key":} inside the object of window {@link #WINDOW} in a stats/today payload. */
    static long windowFigure(String stats, String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"windows\":\\{.*?\"" + WINDOW
                + "\":\\{[^}]*\"" + key + "\":(\\d+)").matcher(stats);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    static Optional<String> last(MqttWatcher screen, String suffix) {
        List<MqttWatcher.Received> all = screen.on(suffix);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1).payload());
    }

    static void awaitDevice(MqttWatcher screen, String id, String status) {
        Poll.until("devices/" + id + " " + status + " on MQTT", Duration.ofSeconds(30), () -> last(screen, "/devices/" + id)
                .filter(p -> p.contains("\"status\":\"" + status + "\"")), () -> last(screen, "/devices/" + id));
    }

    /**
     * The issue's end-to-end flow, the way a hall and its dashboard meet it: keypad, evaluator and
     * window display of one window on their buses, a broker connection configured after them (the
     * devices' states are on MQTT at once, whatever the start order), sign-in, call, start and
     * finish from the keypad with the call on the window's display, the citizen's rating in
     * stats/today, and a display that loses its power seen OFFLINE and back ONLINE by the dashboard.
     */
    @Test
    void aTransactionServedFromTheKeypadIsShownOnTheDisplayAndItsRatingReachesTheDashboard() throws Exception {
        Path keypadCfg = home.etc().resolve("org.openhall.keypad-e2e.cfg");
        Path evaluatorCfg = home.etc().resolve("org.openhall.evaluator-e2e.cfg");
        Path displayCfg = home.etc().resolve("org.openhall.display-e2e.cfg");
        Path connectionCfg = home.etc().resolve("org.openhall.mqtt.connection-e2e.cfg");
        Path dir = Files.createTempDirectory("openhall-e2e");
        try (Rs485Bus bus = new Rs485Bus(); DisplayBus displays = new DisplayBus(7);
                org.openhall.testsupport.Mosquitto broker = new org.openhall.testsupport.Mosquitto(dir)) {
            broker.start();
            String common = "window=" + WINDOW + "\nlink=tcp:127.0.0.1:" + bus.port() + "\npollMillis=50\nanswerTimeoutMillis=300\n";
            PrinterUpdateTest.write(keypadCfg, "keypad.id=e2e-keypad\naddress=1\n" + common);
            PrinterUpdateTest.write(evaluatorCfg, "evaluator.id=e2e-eval\naddress=2\ntimeoutSeconds=60\n" + common);
            PrinterUpdateTest.write(displayCfg, DisplayTest.config("e2e-display", WINDOW, displays.port(), 7, ""));
            Device keypad = Poll.until("the keypad's Device service", Duration.ofSeconds(30), () -> device("e2e-keypad"));
            Device evaluator = Poll.until("the evaluator's Device service", Duration.ofSeconds(30), () -> device("e2e-eval"));
            Device display = Poll.until("the display's Device service", Duration.ofSeconds(30), () -> device("e2e-display"));
            Poll.until("all three ONLINE", () -> keypad.state().status() == DeviceStatus.ONLINE
                    && evaluator.state().status() == DeviceStatus.ONLINE && display.state().status() == DeviceStatus.ONLINE);

            try (MqttWatcher screen = new MqttWatcher(broker.uri(), "e2e-dashboard", MqttBridgeTest.ROOT + "/#", false)) {
                // The connection starts after the devices: their states are published when it connects.
                PrinterUpdateTest.write(connectionCfg, String.join("\n", "uri = " + broker.uri(),
                        "clientId = openhall-itest-e2e", "backoff.initialMillis = 100", "backoff.maxMillis = 500", ""));
                for (String id : List.of("e2e-keypad", "e2e-eval", "e2e-display")) {
                    awaitDevice(screen, id, "ONLINE");
                }
                assertTrue(last(screen, "/devices/e2e-keypad").orElseThrow().contains("\"window\":\"" + WINDOW + "\""),
                        () -> last(screen, "/devices/e2e-keypad").orElseThrow());
                long ratedBefore = Poll.until("stats/today", Duration.ofSeconds(30), () -> last(screen, "/stats/today"))
                        .transform(p -> windowFigure(p, "rated"));

                assertEquals(0, press(bus, 0x0A, STAFF + "*" + QueueCoreTest.DEMO_PIN).flagsOrToken(), "signed in (R17)");
                assertTrue(queue.issueTicket(Request.by(Actor.device("kiosk1"), UUID.randomUUID().toString()), "C",
                        PriorityClass.NORMAL, null).isOk());
                String called = press(bus, 0x01, "").text();
                DisplayTest.awaitShows(displays, 7, "请" + called + "号", true);
                press(bus, 0x03, "");
                press(bus, 0x04, "");
                Poll.until("the evaluator armed for " + called, () -> bus.armed()
                        && bus.evaluatorDisplay.get(bus.evaluatorDisplay.size() - 1).text().startsWith(called + "\n"));
                bus.rate(5);
                Poll.until("the rating in stats/today on MQTT", Duration.ofSeconds(30), () -> last(screen, "/stats/today")
                        .filter(p -> windowFigure(p, "rated") == ratedBefore + 1), () -> last(screen, "/stats/today"));
                assertTrue(screen.on("/events/evaluation.recorded").stream().anyMatch(r -> r.payload().contains(called)),
                        "the rating's event on MQTT");
                assertTrue(screen.on("").stream().noneMatch(r -> r.payload().contains(QueueCoreTest.DEMO_PIN + "\"")),
                        "the PIN typed on the keypad never reaches MQTT");

                // R5: the display loses its power; the dashboard sees it OFFLINE, then ONLINE again.
                displays.power(7, false);
                awaitDevice(screen, "e2e-display", "OFFLINE");
                displays.power(7, true);
                awaitDevice(screen, "e2e-display", "ONLINE");
                assertEquals(0, press(bus, 0x0B, "").flagsOrToken(), "signed out");
            }
        } finally {
            if (window().state() != WindowState.CLOSED) {
                queue.closeWindow(Request.by(Actor.staff(STAFF)), WINDOW);
            }
            for (Path f : List.of(connectionCfg, keypadCfg, evaluatorCfg, displayCfg)) {
                Files.deleteIfExists(f);
            }
            Poll.until("the devices removed with their files", () -> device("e2e-keypad").isEmpty()
                    && device("e2e-eval").isEmpty() && device("e2e-display").isEmpty());
        }
    }
}
