package org.openhall.device.keypad.internal;

import org.openhall.device.frames.emulator.Frame68Bus;
import org.openhall.testsupport.Socat;
import org.openhall.testsupport.Threads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.api.device.DeviceDetail;
import org.openhall.api.device.DeviceState;
import org.openhall.api.device.DeviceStatus;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.TicketState;
import org.openhall.api.queue.WindowState;
import org.openhall.api.queue.WindowView;
import org.openhall.device.frames.BusDevice;
import org.openhall.device.frames.Texts;
import org.openhall.device.serial.LinkSpec;
import org.openhall.queue.core.internal.engine.RealQueue;

/**
 * The caller keypad driver against {@link KeypadEmulator}s on a socat pseudo-terminal pair (an
 * RS-485 bus with two keypads, windows 1 and 2) and the real queue core on a real journal.
 */
class CallerKeypadTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;
    RealQueue hall;
    HallQueue queue;
    Socat socat;
    Frame68Bus bus;
    final KeypadEmulator pad1 = new KeypadEmulator(1);
    final KeypadEmulator pad2 = new KeypadEmulator(2);
    final List<CallerKeypad> drivers = new ArrayList<>();
    final List<DeviceState> states = new CopyOnWriteArrayList<>();
    final List<String> evaluationRequests = new CopyOnWriteArrayList<>();
    int kiosk;

    @BeforeEach
    void start() throws Exception {
        hall = new RealQueue(tmp);
        queue = hall.queue();
        socat = new Socat(tmp);
        plugBus();
    }

    void plugBus() {
        bus = new Frame68Bus(socat.b);
        bus.devices.put(1, pad1);
        bus.devices.put(2, pad2);
    }

    @AfterEach
    void stop() throws Exception {
        drivers.forEach(CallerKeypad::close);
        bus.close();
        socat.close();
        hall.close();
        Threads.assertNoneLeft("no driver or link thread is left", "openhall-caller-keypad-", "openhall-link-");
    }

    CallerKeypad keypad(String id, String window, int address, CallerKeypad.DisplayMode mode) {
        BusDevice.Settings s = new BusDevice.Settings(id, window, LinkSpec.parse("serial:" + socat.a), address,
                Duration.ofMillis(40), Duration.ofMillis(1000), 2, Duration.ofMillis(200));
        CallerKeypad k = new CallerKeypad(s, Clock.systemUTC(), states::add, () -> queue,
                (w, t) -> evaluationRequests.add(w + ":" + t), Texts.of(CallerKeypad.class, Map.of()), mode, tmp.resolve("devices").resolve(id + ".press"));
        k.start();
        drivers.add(k);
        return k;
    }

    CallerKeypad keypad(String id, String window, int address) {
        return keypad(id, window, address, CallerKeypad.DisplayMode.CODE);
    }

    void issue(String category) {
        assertTrue(queue.issueTicket(Request.by(Actor.device("kiosk-1"), "k" + (++kiosk)), category, PriorityClass.NORMAL, null)
                .isOk());
    }

    /** Presses a key on the emulator and waits until the display shows the answer to it. */
    KeypadEmulator.Shown press(KeypadEmulator pad, int key, String input) {
        int before = pad.display.size();
        pad.press(key, input);
        Wait.until("the display answers key " + Keys.name(key), WAIT, () -> pad.display.size() > before && pad.idle());
        return pad.last();
    }

    KeypadEmulator.Shown press(KeypadEmulator pad, int key) {
        return press(pad, key, "");
    }

    WindowView window(String id) {
        return queue.snapshot().windows().stream().filter(w -> w.id().equals(id)).findFirst().orElseThrow();
    }

    static void shows(String text, boolean error, KeypadEmulator.Shown shown) {
        assertEquals(text, shown.text());
        assertEquals(error, shown.error(), "error flag of " + text);
    }

    long events(String type) {
        return hall.events.stream().filter(e -> type.equals(e.get(QueueEvents.TYPE))).count();
    }

    @Test
    void everyKeyIsOneQueueOperationAtTheKeypadsWindow() {
        CallerKeypad k = keypad("keypad-1", "1", 1);
        Wait.until("ONLINE", WAIT, () -> k.state().status() == DeviceStatus.ONLINE);
        issue("A");
        issue("A");
        issue("A");

        shows("----", false, press(pad1, Keys.SIGN_IN, "s1*" + RealQueue.PIN));
        assertEquals(WindowState.IDLE, window("1").state());
        assertEquals("s1", window("1").staffId(), "R17: signed in with the staff member's own id");
        shows("A001", false, press(pad1, Keys.CALL_NEXT));
        shows("A001", false, press(pad1, Keys.RECALL));
        assertEquals(1, events(QueueEvents.TICKET_RECALLED));
        shows("A001", false, press(pad1, Keys.START));
        shows("A001", false, press(pad1, Keys.REQUEST_EVALUATION));
        assertEquals(List.of("1:A001"), evaluationRequests);
        shows("----", false, press(pad1, Keys.FINISH));
        assertEquals(TicketState.FINISHED, queue.ticket("A001").orElseThrow().state());

        shows("A002", false, press(pad1, Keys.CALL_NEXT));
        shows("----", false, press(pad1, Keys.TRANSFER, "B*2"));
        assertEquals("B", queue.ticket("A002").orElseThrow().categoryId(), "R9: transferred to category B");
        shows("A003", false, press(pad1, Keys.CALL_NEXT));
        shows("----", false, press(pad1, Keys.NO_SHOW));
        assertEquals(TicketState.NO_SHOW, queue.ticket("A003").orElseThrow().state());

        press(pad1, Keys.PAUSE);
        assertEquals(WindowState.PAUSED, window("1").state());
        press(pad1, Keys.RESUME);
        assertEquals(WindowState.IDLE, window("1").state());
        press(pad1, Keys.PAUSE, "2");
        assertEquals(org.openhall.api.queue.PauseKind.SUSPENDED, window("1").pauseKind());
        press(pad1, Keys.RESUME);
        shows("----", false, press(pad1, Keys.SIGN_OUT));
        assertEquals(WindowState.CLOSED, window("1").state());

        assertTrue(hall.events.stream().filter(e -> "1".equals(e.get(QueueEvents.WINDOW)))
                .allMatch(e -> "DEVICE:keypad-1".equals(e.get(QueueEvents.ACTOR))), "every action is the keypad's");
        assertTrue(hall.events.stream().noneMatch(e -> String.valueOf(e).contains(RealQueue.PIN + "}")), "no PIN in events");
        assertEquals(15L, k.counters().get("keys"));
        assertEquals(0L, k.counters().get("refused"));
    }

    @Test
    void theDisplayFollowsTheWindowWhenItChangesElsewhere() {
        CallerKeypad k = keypad("keypad-1", "1", 1);
        hall.listen(e -> k.onQueueEvent(e::get));
        Wait.until("ONLINE", WAIT, () -> k.state().status() == DeviceStatus.ONLINE);
        issue("A");
        Request staff = Request.by(Actor.staff("s1"), "s-open");
        assertTrue(queue.openWindow(staff, "1", "s1", RealQueue.PIN).isOk());
        assertTrue(queue.callNext(Request.by(Actor.staff("s1"), "s-call"), "1").isOk());
        Wait.until("the display shows the ticket called from elsewhere", WAIT,
                () -> pad1.last() != null && "A001".equals(pad1.last().text()));
        assertTrue(queue.markNoShow(Request.by(Actor.staff("s1"), "s-noshow"), "1").isOk());
        Wait.until("and its end", WAIT, () -> "----".equals(pad1.last().text()));
        // An event of another window changes nothing here.
        int shown = pad1.display.size();
        k.onQueueEvent(Map.<String, Object>of(QueueEvents.WINDOW, "2")::get);
        shows("E08", true, press(pad1, Keys.RECALL));
        assertEquals(shown + 1, pad1.display.size(), "only the key's answer was shown");
    }

    @Test
    void aRefusalShowsItsErrorCode() {
        CallerKeypad k = keypad("keypad-1", "1", 1, CallerKeypad.DisplayMode.CODE);
        Wait.until("ONLINE", WAIT, () -> k.state().status() == DeviceStatus.ONLINE);
        shows("E09", true, press(pad1, Keys.CALL_NEXT));
        shows("E07", true, press(pad1, Keys.SIGN_IN, "s1*9999"));
        shows("E91", true, press(pad1, Keys.SIGN_IN, "s1"));
        shows("E90", true, press(pad1, 0x3F));
        shows("----", false, press(pad1, Keys.SIGN_IN, "s1*" + RealQueue.PIN));
        shows("E10", true, press(pad1, Keys.CALL_NEXT));
        shows("E91", true, press(pad1, Keys.TRANSFER, ""));
        assertEquals(6L, k.counters().get("refused"));
    }

    @Test
    void anLcdKeypadShowsTheChineseTextOfTheCode() {
        CallerKeypad k = keypad("keypad-1", "1", 1, CallerKeypad.DisplayMode.TEXT);
        Wait.until("ONLINE", WAIT, () -> k.state().status() == DeviceStatus.ONLINE);
        shows("E09 窗口未开启", true, press(pad1, Keys.CALL_NEXT));
    }

    @Test
    void aPressDeliveredTwiceCallsOneTicket() {
        CallerKeypad k = keypad("keypad-1", "1", 1);
        Wait.until("ONLINE", WAIT, () -> k.state().status() == DeviceStatus.ONLINE);
        issue("A");
        issue("A");
        press(pad1, Keys.SIGN_IN, "s1*" + RealQueue.PIN);
        // The keypad misses the next two acknowledgements and sends the press again and again.
        pad1.lostAcks.set(2);
        int shown = pad1.display.size();
        pad1.press(Keys.CALL_NEXT, "");
        Wait.until("the press taken after its repeats", WAIT, () -> pad1.idle() && pad1.display.size() >= shown + 1);
        Wait.until("the repeats counted", WAIT, () -> k.counters().get("repeats") >= 1);
        assertEquals(1, events(QueueEvents.TICKET_CALLED), "one ticket called");
        assertEquals(TicketState.WAITING, queue.ticket("A002").orElseThrow().state());
        assertTrue(pad1.display.subList(shown, pad1.display.size()).stream().allMatch(s -> s.text().equals("A001")),
                "each repeat shows the first answer");
        // The next press is a new one, with a request id of its own.
        shows("A001", false, press(pad1, Keys.RECALL));
        assertEquals(1, events(QueueEvents.TICKET_RECALLED));
    }

    @Test
    void aPressCarriedOutJustBeforeARestartIsNotCarriedOutAgain() {
        CallerKeypad k = keypad("keypad-1", "1", 1);
        Wait.until("ONLINE", WAIT, () -> k.state().status() == DeviceStatus.ONLINE);
        issue("A");
        press(pad1, Keys.SIGN_IN, "s1*" + RealQueue.PIN);
        press(pad1, Keys.CALL_NEXT);
        // The hall stops after carrying out a recall, before the keypad heard the acknowledgement.
        pad1.lostAcks.set(1_000_000);
        pad1.press(Keys.RECALL, "");
        Wait.until("the recall carried out", WAIT, () -> events(QueueEvents.TICKET_RECALLED) == 1 && k.counters().get("repeats") >= 1);
        k.close();
        pad1.lostAcks.set(0);
        assertFalse(pad1.idle(), "the keypad still holds the recall");
        CallerKeypad restarted = keypad("keypad-1", "1", 1);
        Wait.until("the restarted driver acknowledges it", WAIT, pad1::idle);
        assertEquals(1, events(QueueEvents.TICKET_RECALLED), "recalled once");
        assertEquals(0L, restarted.counters().get("keys"));
    }

    @Test
    void garbledAnswersAreCountedAndDroppedAndTheBusKeepsWorking() {
        CallerKeypad k = keypad("keypad-1", "1", 1);
        Wait.until("ONLINE", WAIT, () -> k.state().status() == DeviceStatus.ONLINE);
        issue("A");
        press(pad1, Keys.SIGN_IN, "s1*" + RealQueue.PIN);
        long garbled = k.traffic().garbled();
        bus.fault(1, Frame68Bus.Fault.BAD_CHECKSUM, Frame68Bus.Fault.NOISE, Frame68Bus.Fault.TRUNCATED,
                Frame68Bus.Fault.WRONG_ADDRESS, Frame68Bus.Fault.UNKNOWN_COMMAND);
        Wait.until("five faults counted", WAIT, () -> k.traffic().garbled() >= garbled + 5);
        shows("A001", false, press(pad1, Keys.CALL_NEXT));
        assertEquals(1, events(QueueEvents.TICKET_CALLED));
        assertEquals(DeviceStatus.ONLINE, k.state().status(), "each fault cost one attempt, the retry got through");
        assertTrue(states.stream().noneMatch(s -> s.status() == DeviceStatus.OFFLINE && s.since().isAfter(states.get(0).since())
                && DeviceDetail.NO_ANSWER.equals(s.detail())), "never OFFLINE for a single bad frame");
    }

    @Test
    void aKeypadThatStopsAnsweringGoesOfflineWhileTheOtherKeepsWorkingAndARePlugBringsThemBack() throws Exception {
        CallerKeypad k1 = keypad("keypad-1", "1", 1);
        CallerKeypad k2 = keypad("keypad-2", "2", 2);
        Wait.until("both ONLINE", WAIT, () -> k1.state().status() == DeviceStatus.ONLINE && k2.state().status() == DeviceStatus.ONLINE);
        issue("A");
        issue("A");
        bus.silent.add(2);
        Wait.until("keypad-2 OFFLINE", WAIT, () -> k2.state().status() == DeviceStatus.OFFLINE);
        assertEquals(DeviceDetail.NO_ANSWER, k2.state().detail());
        press(pad1, Keys.SIGN_IN, "s1*" + RealQueue.PIN);
        shows("A001", false, press(pad1, Keys.CALL_NEXT));
        assertEquals(DeviceStatus.ONLINE, k1.state().status());
        bus.silent.remove(2);
        Wait.until("keypad-2 ONLINE again", WAIT, () -> k2.state().status() == DeviceStatus.ONLINE);
        shows("----", false, press(pad2, Keys.SIGN_IN, "s2*" + RealQueue.PIN));
        shows("A002", false, press(pad2, Keys.CALL_NEXT));

        // Unplug the bus (socat gone) and plug it in again on the same path.
        bus.close();
        socat.close();
        Wait.until("both OFFLINE NO_PORT", WAIT, () -> DeviceDetail.NO_PORT.equals(k1.state().detail())
                && DeviceDetail.NO_PORT.equals(k2.state().detail()));
        socat = new Socat(tmp);
        plugBus();
        Wait.until("both ONLINE after the re-plug", WAIT,
                () -> k1.state().status() == DeviceStatus.ONLINE && k2.state().status() == DeviceStatus.ONLINE);
        shows("A001", false, press(pad1, Keys.RECALL));
        assertFalse(states.isEmpty());
        assertTrue(states.stream().anyMatch(s -> s.deviceId().equals("keypad-2") && DeviceDetail.NO_ANSWER.equals(s.detail())),
                "the change was reported");
    }
}
