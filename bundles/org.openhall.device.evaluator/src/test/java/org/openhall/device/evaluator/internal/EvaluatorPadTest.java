package org.openhall.device.evaluator.internal;

import org.openhall.device.frames.emulator.Frame68Bus;
import org.openhall.testsupport.Socat;
import org.openhall.testsupport.Threads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.Request;
import org.openhall.device.frames.BusDevice;
import org.openhall.device.frames.EvaluationRequest;
import org.openhall.device.frames.Texts;
import org.openhall.device.serial.LinkSpec;
import org.openhall.queue.core.internal.engine.RealQueue;

/**
 * The evaluator driver against {@link EvaluatorEmulator}s on a socat pseudo-terminal pair (one
 * RS-485 bus, windows 1 and 2) and the real queue core on a real journal, whose committed events
 * reach the drivers as Event Admin would deliver them.
 */
class EvaluatorPadTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;
    RealQueue hall;
    HallQueue queue;
    Socat socat;
    Frame68Bus bus;
    final EvaluatorEmulator pad1 = new EvaluatorEmulator(1);
    final EvaluatorEmulator pad2 = new EvaluatorEmulator(2);
    final List<EvaluatorPad> drivers = new CopyOnWriteArrayList<>();
    final List<DeviceState> states = new CopyOnWriteArrayList<>();
    int requests;

    @BeforeEach
    void start() throws Exception {
        hall = new RealQueue(tmp);
        queue = hall.queue();
        hall.listen(e -> drivers.forEach(d -> d.onEvent(QueueEvents.topic((String) e.get(QueueEvents.TYPE)), e::get)));
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
        drivers.forEach(EvaluatorPad::close);
        bus.close();
        socat.close();
        hall.close();
        Threads.assertNoneLeft("no driver or link thread is left", "openhall-evaluator-", "openhall-link-");
    }

    EvaluatorPad evaluator(String id, String window, int address, Duration timeout) {
        BusDevice.Settings s = new BusDevice.Settings(id, window, LinkSpec.parse("serial:" + socat.a), address,
                Duration.ofMillis(40), Duration.ofMillis(1000), 2, Duration.ofMillis(200));
        EvaluatorPad e = new EvaluatorPad(s, Clock.systemUTC(), states::add, () -> queue, Texts.of(EvaluatorPad.class, Map.of()),
                timeout, tmp.resolve("devices").resolve(id + ".press"));
        e.start();
        drivers.add(e);
        Wait.until(id + " ONLINE", WAIT, () -> e.state().status() == DeviceStatus.ONLINE);
        return e;
    }

    Request staff(String id) {
        return Request.by(Actor.staff(id), "r" + (++requests));
    }

    /** Staff s<window> serves one ticket at the window from call to finish; returns its number. */
    String serve(String window) {
        String s = "s" + window;
        if (queue.snapshot().windows().stream().noneMatch(w -> w.id().equals(window) && s.equals(w.staffId()))) {
            assertTrue(queue.openWindow(staff(s), window, s, RealQueue.PIN).isOk());
        }
        String ticket = queue.issueTicket(Request.by(Actor.device("kiosk-1"), "k" + (++requests)), "A", PriorityClass.NORMAL, null)
                .value().ticket().number();
        assertEquals(ticket, queue.callNext(staff(s), window).value().number());
        assertTrue(queue.start(staff(s), window).isOk());
        assertTrue(queue.finish(staff(s), window, Finish.done()).isOk());
        return ticket;
    }

    long evaluations() {
        return hall.events.stream().filter(e -> QueueEvents.EVALUATION_RECORDED.equals(e.get(QueueEvents.TYPE))).count();
    }

    Map<String, Object> lastEvaluation() {
        return hall.events.stream().filter(e -> QueueEvents.EVALUATION_RECORDED.equals(e.get(QueueEvents.TYPE)))
                .reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void aFinishedTransactionArmsThePadAndTheCitizensKeyRatesItOnce() {
        EvaluatorPad e = evaluator("eval-1", "1", 1, Duration.ofSeconds(60));
        String ticket = serve("1");
        Wait.until("armed", WAIT, pad1::armed);
        EvaluatorEmulator.Shown armed = pad1.last();
        assertEquals(List.of(ticket, "工号s1 员工1", "请对本次服务进行评价"), armed.lines(), "ticket and staff (R12), no citizen data");
        assertTrue(armed.seconds() > 50 && armed.seconds() <= 60);

        pad1.press(5);
        Wait.until("rated and thanked", WAIT, () -> evaluations() == 1 && !pad1.armed() && pad1.idle());
        Map<String, Object> ev = lastEvaluation();
        assertEquals(5, ((Number) ev.get(QueueEvents.LEVEL)).intValue());
        assertEquals(ticket, ev.get(QueueEvents.TICKET));
        assertEquals("1", ev.get(QueueEvents.WINDOW));
        assertEquals("s1", ev.get(QueueEvents.STAFF));
        assertEquals("DEVICE:eval-1", ev.get(QueueEvents.ACTOR));
        assertEquals(List.of("谢谢您的评价"), pad1.last().lines());

        // A second press for the same ticket is ignored.
        pad1.press(1);
        Wait.until("the second press ignored", WAIT, () -> e.counters().get("ignored") == 1 && pad1.idle());
        assertEquals(1, evaluations());
        assertEquals(1L, e.counters().get("rated"));
    }

    @Test
    void noKeyInTimeMeansNotRatedAndNothingIsSent() {
        EvaluatorPad e = evaluator("eval-1", "1", 1, Duration.ofSeconds(1));
        serve("1");
        Wait.until("armed", WAIT, pad1::armed);
        Wait.until("disarmed at the timeout", WAIT, () -> !pad1.armed() && e.counters().get("notRated") == 1);
        assertEquals(List.of(""), pad1.last().lines(), "the display is cleared");
        assertNull(e.armed());
        pad1.press(5);
        Wait.until("a late press ignored", WAIT, () -> e.counters().get("ignored") == 1 && pad1.idle());
        assertEquals(0, evaluations(), "R7: not rated, never a default rating");
    }

    @Test
    void pressesWhileNotArmedOrWithAStaleTokenAreIgnoredAndCounted() {
        EvaluatorPad e = evaluator("eval-1", "1", 1, Duration.ofSeconds(60));
        pad1.press(5);
        Wait.until("ignored", WAIT, () -> e.counters().get("ignored") == 1 && pad1.idle());
        serve("1");
        Wait.until("armed", WAIT, pad1::armed);
        int token = pad1.last().token();
        pad1.press(4, token == 255 ? 1 : token + 1);
        Wait.until("stale token ignored", WAIT, () -> e.counters().get("ignored") == 2 && pad1.idle());
        assertEquals(0, evaluations());
        assertTrue(pad1.armed(), "still armed for the citizen's own key");
    }

    @Test
    void aNewTransactionRearmsForItsTicketAndAWindowsEventsStayAtThatWindow() {
        EvaluatorPad e1 = evaluator("eval-1", "1", 1, Duration.ofSeconds(60));
        EvaluatorPad e2 = evaluator("eval-2", "2", 2, Duration.ofSeconds(60));
        serve("1");
        String second = serve("1");
        Wait.until("armed for the second", WAIT, () -> pad1.armed() && pad1.last().lines().get(0).equals(second));
        assertFalse(pad2.armed(), "window 2's pad stays quiet");
        pad1.press(3);
        Wait.until("rated", WAIT, () -> evaluations() == 1);
        assertEquals(second, lastEvaluation().get(QueueEvents.TICKET));
        assertEquals(0L, e2.counters().get("armed"));
        assertEquals(2L, e1.counters().get("armed"));
    }

    @Test
    void aKeypadsRequestPromptsAgain() {
        EvaluatorPad e = evaluator("eval-1", "1", 1, Duration.ofSeconds(60));
        serve("1");
        Wait.until("armed", WAIT, pad1::armed);
        int shown = pad1.display.size();
        e.onEvent(EvaluationRequest.TOPIC, Map.<String, Object>of(EvaluationRequest.WINDOW, "1")::get);
        Wait.until("armed again", WAIT, () -> pad1.display.size() > shown && pad1.last().armed());
        e.onEvent(EvaluationRequest.TOPIC, Map.<String, Object>of(EvaluationRequest.WINDOW, "2")::get);
        pad1.press(4);
        Wait.until("rated", WAIT, () -> evaluations() == 1);
    }

    @Test
    void aPadThatMissedItsArmingIsArmedWhenItAnswersAgain() {
        EvaluatorPad e = evaluator("eval-1", "1", 1, Duration.ofSeconds(60));
        bus.silent.add(1);
        Wait.until("OFFLINE", WAIT, () -> e.state().status() == DeviceStatus.OFFLINE);
        String ticket = serve("1");
        Wait.until("armed in the driver", WAIT, () -> e.armed() != null);
        assertFalse(pad1.armed());
        bus.silent.remove(1);
        Wait.until("armed on the pad once it answers", WAIT, () -> pad1.armed() && pad1.last().lines().get(0).equals(ticket));
        pad1.press(5);
        Wait.until("rated", WAIT, () -> evaluations() == 1);
    }

    @Test
    void aPressRepeatedAfterALostAcknowledgementRatesOnce() {
        EvaluatorPad e = evaluator("eval-1", "1", 1, Duration.ofSeconds(60));
        serve("1");
        Wait.until("armed", WAIT, pad1::armed);
        pad1.lostAcks.set(2);
        pad1.press(5);
        Wait.until("taken with its repeats", WAIT, () -> pad1.idle() && e.counters().get("repeats") >= 2);
        assertEquals(1, evaluations());
        assertEquals(0L, e.counters().get("ignored"));
        assertEquals(0L, e.counters().get("refused"));
    }

    @Test
    void garbageIsCountedAndASilentPadGoesOfflineWhileTheOtherRatesAndARePlugBringsItBack() throws Exception {
        EvaluatorPad e1 = evaluator("eval-1", "1", 1, Duration.ofSeconds(60));
        EvaluatorPad e2 = evaluator("eval-2", "2", 2, Duration.ofSeconds(60));
        long garbled = e1.traffic().garbled();
        bus.fault(1, Frame68Bus.Fault.BAD_CHECKSUM, Frame68Bus.Fault.TRUNCATED, Frame68Bus.Fault.WRONG_ADDRESS,
                Frame68Bus.Fault.UNKNOWN_COMMAND, Frame68Bus.Fault.NOISE);
        Wait.until("five faults counted", WAIT, () -> e1.traffic().garbled() >= garbled + 5);
        assertEquals(DeviceStatus.ONLINE, e1.state().status(), "each fault cost one attempt, the retry got through");

        bus.silent.add(2);
        Wait.until("eval-2 OFFLINE", WAIT, () -> e2.state().status() == DeviceStatus.OFFLINE);
        assertEquals(DeviceDetail.NO_ANSWER, e2.state().detail());
        serve("1");
        Wait.until("armed", WAIT, pad1::armed);
        pad1.press(2);
        Wait.until("rated while eval-2 is silent", WAIT, () -> evaluations() == 1);
        bus.silent.remove(2);
        Wait.until("eval-2 ONLINE", WAIT, () -> e2.state().status() == DeviceStatus.ONLINE);

        bus.close();
        socat.close();
        Wait.until("OFFLINE NO_PORT", WAIT, () -> DeviceDetail.NO_PORT.equals(e1.state().detail()));
        socat = new Socat(tmp);
        plugBus();
        Wait.until("ONLINE after the re-plug", WAIT,
                () -> e1.state().status() == DeviceStatus.ONLINE && e2.state().status() == DeviceStatus.ONLINE);
        assertTrue(states.stream().anyMatch(s -> s.deviceId().equals("eval-2") && DeviceDetail.NO_ANSWER.equals(s.detail())));
    }
}
