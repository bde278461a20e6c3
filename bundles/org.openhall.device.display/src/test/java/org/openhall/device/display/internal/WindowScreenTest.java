package org.openhall.device.display.internal;

import org.openhall.testsupport.Socat;
import org.openhall.testsupport.Threads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.api.queue.HallSnapshot;
import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.WindowState;
import org.openhall.api.queue.WindowView;
import org.openhall.device.serial.LinkSpec;

/**
 * A window's display driven by the queue's events, as the core posts them, and the windows as its
 * snapshot shows them (docs/queue.md): call and recall blink (R14), pauses (R4), the staff's name
 * and number when idle (R12), the closing text; on an emulated display on a real pseudo-terminal.
 */
class WindowScreenTest {

    static final Charset GB2312 = Charset.forName("GB2312");
    static final Duration BLINK = Duration.ofSeconds(1);
    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    Socat socat;
    DisplayEmulator bus;
    WindowDisplay display;
    WindowScreen screen;
    /** The core's snapshot as the test moves the hall on; null while there is no core. */
    final AtomicReference<HallSnapshot> snapshot = new AtomicReference<>();
    long seq;

    @BeforeEach
    void start() throws Exception {
        socat = new Socat(dir);
        bus = DisplayEmulator.onPty(socat.b, GB2312, 3, 4);
        screen = start("d3", "3", 3);
    }

    WindowScreen start(String id, String window, int address) {
        WindowScreen s = new WindowScreen(window, Texts.defaults(), BLINK, Clock.systemUTC(), snapshot::get);
        WindowDisplay d = new WindowDisplay(new WindowDisplay.Settings(id, LinkSpec.parse("serial:" + socat.a), address,
                Duration.ofMillis(300), Duration.ofMillis(150), 2, GB2312), Clock.systemUTC(), st -> {
                }, s::content);
        s.attach(d);
        if (display == null) {
            display = d;
        } else {
            second = d;
        }
        return s;
    }

    WindowDisplay second;

    @AfterEach
    void stop() {
        if (display != null) {
            display.close();
        }
        if (second != null) {
            second.close();
        }
        bus.close();
        socat.close();
        Threads.assertNoneLeft("no driver thread is left after close", "openhall-display-", "openhall-link-");
    }

    static WindowView window(String id, WindowState state, String ticket, PauseKind pause) {
        boolean staffed = state != WindowState.CLOSED;
        return new WindowView(id, id + "号窗口", state, List.of("A"), false, ticket, staffed ? "1001" : null,
                staffed ? "张三" : null, pause, pause == null ? null : "午休", Instant.now());
    }

    /** The hall moves on: the snapshot shows the window so, and the core posts the event. */
    void step(WindowScreen s, String type, WindowView w, String ticket) {
        List<WindowView> windows = new java.util.ArrayList<>();
        HallSnapshot before = snapshot.get();
        if (before != null) {
            before.windows().stream().filter(v -> !v.id().equals(w.id())).forEach(windows::add);
        }
        windows.add(w);
        snapshot.set(new HallSnapshot("demo", "某某区政务服务中心", LocalDate.now(), ++seq, Instant.now(), List.of(), windows));
        Map<String, Object> event = new HashMap<>();
        event.put(QueueEvents.TYPE, type);
        event.put(QueueEvents.SEQ, seq);
        event.put(QueueEvents.TIME, System.currentTimeMillis());
        event.put(QueueEvents.WINDOW, w.id());
        if (ticket != null) {
            event.put(QueueEvents.TICKET, ticket);
        }
        s.handle(event::get);
    }

    DisplayEmulator.Panel panel() {
        return bus.panel(3);
    }

    static void awaitShows(DisplayEmulator.Panel p, String text, boolean blink) {
        Content want = new Content(text, blink);
        Wait.until("display " + p.address + " shows " + want + " (shows " + p.current() + ")", WAIT,
                () -> want.equals(p.current()));
    }

    @Test
    void aCallShowsTheTicketBlinkingThenSteadyAndARecallBlinksAgain() {
        step(screen, QueueEvents.WINDOW_OPENED, window("3", WindowState.IDLE, null, null), null);
        awaitShows(panel(), "3号窗口 张三 1001", false);
        step(screen, QueueEvents.TICKET_CALLED, window("3", WindowState.CALLING, "A012", null), "A012");
        awaitShows(panel(), "请A012号", true);
        awaitShows(panel(), "请A012号", false); // after blinkSeconds, without another event
        int before = panel().shown.size();
        step(screen, QueueEvents.TICKET_RECALLED, window("3", WindowState.CALLING, "A012", null), "A012");
        awaitShows(panel(), "请A012号", true);
        awaitShows(panel(), "请A012号", false);
        assertTrue(panel().shown.size() >= before + 2, "the recall was sent blinking, then steady");
        step(screen, QueueEvents.SERVICE_STARTED, window("3", WindowState.SERVING, "A012", null), "A012");
        awaitShows(panel(), "正在办理 A012号", false);
    }

    @Test
    void aRecallWhileTheCallStillBlinksIsSentAgain() {
        step(screen, QueueEvents.TICKET_CALLED, window("3", WindowState.CALLING, "A013", null), "A013");
        awaitShows(panel(), "请A013号", true);
        int before = panel().shown.size();
        step(screen, QueueEvents.TICKET_RECALLED, window("3", WindowState.CALLING, "A013", null), "A013");
        Wait.until("the recall re-sent", WAIT, () -> panel().shown.size() > before);
        assertEquals(new Content("请A013号", true), panel().shown.get(before));
    }

    @Test
    void aBriefPauseAndASuspensionShowTheirTextsAndResumeShowsTheWindowAgain() {
        step(screen, QueueEvents.WINDOW_OPENED, window("3", WindowState.IDLE, null, null), null);
        awaitShows(panel(), "3号窗口 张三 1001", false);
        step(screen, QueueEvents.WINDOW_PAUSED, window("3", WindowState.PAUSED, null, PauseKind.BRIEF), null);
        awaitShows(panel(), "对不起,请稍候", false);
        step(screen, QueueEvents.WINDOW_RESUMED, window("3", WindowState.IDLE, null, null), null);
        awaitShows(panel(), "3号窗口 张三 1001", false);
        step(screen, QueueEvents.WINDOW_PAUSED, window("3", WindowState.PAUSED, null, PauseKind.SUSPENDED), null);
        awaitShows(panel(), "此窗口暂停服务", false);
    }

    @Test
    void aClosedWindowShowsTheClosingText() {
        step(screen, QueueEvents.WINDOW_OPENED, window("3", WindowState.IDLE, null, null), null);
        awaitShows(panel(), "3号窗口 张三 1001", false);
        step(screen, QueueEvents.WINDOW_CLOSED, window("3", WindowState.CLOSED, null, null), null);
        awaitShows(panel(), "此窗口已关闭", false);
    }

    @Test
    void eventsOfAnotherWindowDoNotChangeThisDisplay() {
        WindowScreen four = start("d4", "4", 4);
        step(screen, QueueEvents.WINDOW_OPENED, window("3", WindowState.IDLE, null, null), null);
        step(four, QueueEvents.WINDOW_OPENED, window("4", WindowState.IDLE, null, null), null);
        awaitShows(panel(), "3号窗口 张三 1001", false);
        awaitShows(bus.panel(4), "4号窗口 张三 1001", false);
        int before = panel().shown.size();
        // Window 4 calls; the event reaches both screens, only display 4 changes.
        step(four, QueueEvents.TICKET_CALLED, window("4", WindowState.CALLING, "C001", null), "C001");
        screen.handle(Map.<String, Object>of(QueueEvents.TYPE, QueueEvents.TICKET_CALLED, QueueEvents.WINDOW, "4",
                QueueEvents.TICKET, "C001")::get);
        awaitShows(bus.panel(4), "请C001号", true);
        awaitShows(bus.panel(4), "请C001号", false);
        assertEquals(before, panel().shown.size(), "display 3 was not sent anything");
        assertEquals(new Content("3号窗口 张三 1001", false), panel().current());
    }

    @Test
    void withoutACoreTheDisplayKeepsWhatItShows() {
        step(screen, QueueEvents.WINDOW_OPENED, window("3", WindowState.IDLE, null, null), null);
        awaitShows(panel(), "3号窗口 张三 1001", false);
        snapshot.set(null); // the core is being updated
        int polls = panel().polls.get();
        Wait.until("polls go on", WAIT, () -> panel().polls.get() > polls + 1);
        assertEquals(new Content("3号窗口 张三 1001", false), panel().current());
    }

    @Test
    void rePluggedTheDisplayGetsItsContentAtOnceWithoutAnEvent() throws Exception {
        step(screen, QueueEvents.TICKET_CALLED, window("3", WindowState.CALLING, "A012", null), "A012");
        awaitShows(panel(), "请A012号", false);
        bus.close();
        socat.close();
        Wait.until("OFFLINE", WAIT, () -> display.state().status() == org.openhall.api.device.DeviceStatus.OFFLINE);
        socat = new Socat(dir);
        bus = DisplayEmulator.onPty(socat.b, GB2312, 3, 4);
        awaitShows(panel(), "请A012号", false);
    }
}
