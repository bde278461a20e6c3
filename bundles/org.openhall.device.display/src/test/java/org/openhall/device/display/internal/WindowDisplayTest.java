package org.openhall.device.display.internal;

import org.openhall.testsupport.Socat;
import org.openhall.testsupport.Threads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.api.device.DeviceDetail;
import org.openhall.api.device.DeviceState;
import org.openhall.api.device.DeviceStatus;
import org.openhall.device.serial.LinkSpec;

/**
 * The driver against emulated displays on one RS-485 bus (a real socat pseudo-terminal pair):
 * acknowledgements, damaged answers, a display that stops answering, power cuts and re-plugs.
 */
class WindowDisplayTest {

    static final Charset GB2312 = Charset.forName("GB2312");
    static final Duration POLL = Duration.ofMillis(300);
    static final Duration ANSWER = Duration.ofMillis(150);
    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    Socat socat;
    DisplayEmulator bus;
    final List<WindowDisplay> displays = new ArrayList<>();

    /** One display's driver with its content source and status history. */
    record Driver(WindowDisplay display, AtomicReference<Content> content, List<DeviceState> states) {
        void show(String text, boolean blink) {
            content.set(new Content(text, blink));
            display.refresh();
        }
    }

    @AfterEach
    void tearDown() {
        displays.forEach(WindowDisplay::close);
        if (bus != null) {
            bus.close();
        }
        if (socat != null) {
            socat.close();
        }
        Threads.assertNoneLeft("no driver thread is left after close", "openhall-display-", "openhall-link-");
    }

    Driver driver(String id, int address) {
        AtomicReference<Content> content = new AtomicReference<>();
        List<DeviceState> states = new CopyOnWriteArrayList<>();
        WindowDisplay d = new WindowDisplay(new WindowDisplay.Settings(id, LinkSpec.parse("serial:" + socat.a), address,
                POLL, ANSWER, 2, GB2312), Clock.systemUTC(), states::add, content::get);
        displays.add(d);
        return new Driver(d, content, states);
    }

    void startBus(int... addresses) throws Exception {
        socat = new Socat(dir);
        bus = DisplayEmulator.onPty(socat.b, GB2312, addresses);
    }

    static void awaitShows(DisplayEmulator.Panel p, String text, boolean blink) {
        Content want = new Content(text, blink);
        Wait.until("display " + p.address + " shows " + want + " (shows " + p.current() + ")", WAIT,
                () -> want.equals(p.current()));
    }

    static void awaitStatus(Driver d, DeviceStatus status, String detail) {
        Wait.until(d.display().id() + " " + status + " " + detail + " (now " + d.display().state() + ")", WAIT,
                () -> d.display().state().status() == status && d.display().state().detail().equals(detail));
    }

    @Test
    void aContentFrameIsAcknowledgedAndPollsFollowWhileNothingChanges() throws Exception {
        startBus(1);
        Driver d = driver("d1", 1);
        d.show("请A012号", true);
        awaitShows(bus.panel(1), "请A012号", true);
        awaitStatus(d, DeviceStatus.ONLINE, DeviceDetail.NONE);
        Wait.until("status polls", WAIT, () -> bus.panel(1).polls.get() >= 2);
        assertEquals(1, bus.panel(1).shown.size(), "an unchanged content is not sent again");
        assertTrue(d.display().counters().get("polls") >= 2);
        assertEquals(1L, d.display().counters().get("shown"));
        assertEquals(DeviceStatus.OFFLINE, d.states().get(0).status(), "the first status is reported too");
    }

    @Test
    void damagedAnswersAreCountedAndDroppedAndTheBusKeepsWorking() throws Exception {
        startBus(1, 2);
        Driver one = driver("d1", 1);
        Driver two = driver("d2", 2);
        one.show("一号", false);
        two.show("二号", false);
        awaitShows(bus.panel(1), "一号", false);
        awaitShows(bus.panel(2), "二号", false);
        awaitStatus(one, DeviceStatus.ONLINE, DeviceDetail.NONE);
        int n = 1;
        for (DisplayEmulator.Damage damage : List.of(DisplayEmulator.Damage.BAD_CHECKSUM,
                DisplayEmulator.Damage.TRUNCATED, DisplayEmulator.Damage.WRONG_ADDRESS)) {
            long garbled = one.display().endpoint().counters().garbled();
            bus.panel(1).damage(damage, 1); // the first answer is damaged, the retry gets through
            String text = "请A00" + n++ + "号";
            one.show(text, false);
            awaitShows(bus.panel(1), text, false);
            Wait.until(damage + " counted as garbled", WAIT,
                    () -> one.display().endpoint().counters().garbled() > garbled);
            Wait.until(damage + ": acknowledged on the retry", WAIT,
                    () -> new Content(text, false).equals(one.display().acknowledged()));
            assertEquals(DeviceStatus.ONLINE, one.display().state().status(), damage + ": a retry got through");
            two.show("二号 " + damage, false);
            awaitShows(bus.panel(2), "二号 " + damage, false);
        }
        // Line noise nobody asked for is dropped too.
        bus.sendGarbage(new byte[] { 0x02, 0x01, 0x06, 0x55, 0x03, (byte) 0xFF });
        one.show("请B001号", false);
        awaitShows(bus.panel(1), "请B001号", false);
        assertTrue(bus.panel(1).shown.size() >= 5);
    }

    @Test
    void answersDamagedEveryTimeMakeTheDisplayOfflineGarbledUntilTheyAreGoodAgain() throws Exception {
        startBus(1);
        Driver d = driver("d1", 1);
        d.show("甲", false);
        awaitStatus(d, DeviceStatus.ONLINE, DeviceDetail.NONE);
        bus.panel(1).damage(DisplayEmulator.Damage.BAD_CHECKSUM, Integer.MAX_VALUE);
        awaitStatus(d, DeviceStatus.OFFLINE, DeviceDetail.GARBLED);
        bus.panel(1).damage(DisplayEmulator.Damage.NONE, 0);
        awaitStatus(d, DeviceStatus.ONLINE, DeviceDetail.NONE);
    }

    @Test
    void aDisplayReportingAModuleFaultIsFaultUntilItIsWellAgain() throws Exception {
        startBus(1);
        Driver d = driver("d1", 1);
        d.show("甲", false);
        awaitStatus(d, DeviceStatus.ONLINE, DeviceDetail.NONE);
        bus.panel(1).fault = true;
        awaitStatus(d, DeviceStatus.FAULT, DeviceDetail.OTHER);
        bus.panel(1).fault = false;
        awaitStatus(d, DeviceStatus.ONLINE, DeviceDetail.NONE);
    }

    @Test
    void aNakMakesTheDriverSendTheFrameAgain() throws Exception {
        startBus(1);
        Driver d = driver("d1", 1);
        d.show("甲", false);
        awaitShows(bus.panel(1), "甲", false);
        bus.panel(1).nakNext = true;
        d.show("乙", false);
        awaitShows(bus.panel(1), "乙", false);
        assertEquals(1L, d.display().counters().get("naks"));
        assertEquals(DeviceStatus.ONLINE, d.display().state().status());
    }

    @Test
    void aDisplayThatStopsAnsweringGoesOfflineWhileAnotherOnTheBusKeepsShowing() throws Exception {
        startBus(1, 2);
        Driver one = driver("d1", 1);
        Driver two = driver("d2", 2);
        one.show("请A001号", false);
        two.show("请C001号", false);
        awaitShows(bus.panel(1), "请A001号", false);
        awaitShows(bus.panel(2), "请C001号", false);
        bus.panel(1).powerCut();
        one.show("请A002号", false);
        awaitStatus(one, DeviceStatus.OFFLINE, DeviceDetail.NO_ANSWER);
        long slowest = 0;
        for (int i = 2; i <= 5; i++) {
            long t0 = System.nanoTime();
            two.show("请C00" + i + "号", false);
            awaitShows(bus.panel(2), "请C00" + i + "号", false);
            slowest = Math.max(slowest, Duration.ofNanos(System.nanoTime() - t0).toMillis());
        }
        // The silent display holds the bus at most one request (timeout x attempts) before each of
        // the other's; generous slack for a loaded machine, far below "waits for its whole retry cycle".
        long bound = ANSWER.multipliedBy(2).plus(ANSWER.multipliedBy(2)).toMillis() + 1500;
        assertTrue(slowest < bound, "the other display waited " + slowest + " ms, bound " + bound + " ms");
        assertEquals(DeviceStatus.ONLINE, two.display().state().status());
        assertEquals(DeviceStatus.OFFLINE, one.display().state().status());
        // Power back: the display says it is blank and gets its current content, no event needed.
        bus.panel(1).powerOn();
        awaitShows(bus.panel(1), "请A002号", false);
        awaitStatus(one, DeviceStatus.ONLINE, DeviceDetail.NONE);
        Wait.until("the resend counted", WAIT, () -> one.display().counters().get("resends") >= 1);
    }

    @Test
    void aShortPowerCutBetweenTwoPollsIsSeenInTheBlankFlagAndTheContentComesBack() throws Exception {
        startBus(1);
        Driver d = driver("d1", 1);
        d.show("3号窗口 张三 1001", false);
        awaitShows(bus.panel(1), "3号窗口 张三 1001", false);
        int sent = bus.panel(1).shown.size();
        // Blank again without missing an answer: as after a power blip shorter than the poll.
        bus.panel(1).blank = true;
        Wait.until("content re-sent after a blank status", WAIT, () -> bus.panel(1).shown.size() > sent);
        awaitShows(bus.panel(1), "3号窗口 张三 1001", false);
    }

    @Test
    void unpluggedGoesOfflineNoPortAndTheContentIsResentAtOnceWhenPluggedBack() throws Exception {
        startBus(1);
        Driver d = driver("d1", 1);
        d.show("请A012号", false);
        awaitShows(bus.panel(1), "请A012号", false);
        bus.close();
        socat.close();
        awaitStatus(d, DeviceStatus.OFFLINE, DeviceDetail.NO_PORT);
        socat = new Socat(dir); // same link names, new /dev/pts numbers
        bus = DisplayEmulator.onPty(socat.b, GB2312, 1);
        // No new content, no event: the display that came back is sent what it should show.
        awaitShows(bus.panel(1), "请A012号", false);
        awaitStatus(d, DeviceStatus.ONLINE, DeviceDetail.NONE);
    }

    @Test
    void aPortThatDoesNotExistIsOfflineNoPort() {
        AtomicReference<Content> content = new AtomicReference<>(new Content("甲", false));
        List<DeviceState> states = new CopyOnWriteArrayList<>();
        WindowDisplay d = new WindowDisplay(new WindowDisplay.Settings("d9",
                LinkSpec.parse("serial:" + dir.resolve("no-such-port")), 1, POLL, ANSWER, 2, GB2312), Clock.systemUTC(),
                states::add, content::get);
        displays.add(d);
        Wait.until("OFFLINE NO_PORT with the reason", WAIT,
                () -> states.stream().anyMatch(s -> s.status() == DeviceStatus.OFFLINE
                        && DeviceDetail.NO_PORT.equals(s.detail()) && !WindowDisplay.NOT_YET.equals(s.text())));
    }
}
