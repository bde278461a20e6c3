package org.openhall.policy.closing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.openhall.api.config.ConfigProblem;
import org.openhall.api.policy.IssueRequest;
import org.openhall.api.policy.IssueVerdict;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.HallPhase;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.WindowState;
import org.openhall.api.queue.WindowView;

/** R3, R13 with explicit times. 2026-03-02 is a Monday; the hall is in Asia/Shanghai. */
class ClosingRuleTest {

    private final ClosingRule rule = new ClosingRule(Duration.ofMinutes(30), "");
    private static final IssueRequest WALK_IN = new IssueRequest(Actor.device("kiosk-1"), "A", PriorityClass.NORMAL,
            null, null, null, null);

    @Test
    void issuingStopsAtTheCutOffBeforeClosing() {
        FakeHall hall = new FakeHall("A").everyDay("09:00", "17:30");
        assertFalse(rule.check(WALK_IN, hall.at("2026-03-02T16:59")).refused());
        IssueVerdict v = rule.check(WALK_IN, hall.at("2026-03-02T17:00"));
        assertTrue(v.refused());
        assertEquals(ErrorCode.HALL_CLOSED, v.refusal());
        assertTrue(v.message().contains("17:00") && v.message().contains("17:30"), v.message());
        assertTrue(rule.check(WALK_IN, hall.at("2026-03-02T17:29")).refused());
        // Outside the hours the core refuses by itself; the gate does not need to.
        assertFalse(rule.check(WALK_IN, hall.at("2026-03-02T17:30")).refused());
        // Check-ins (R10) stop too.
        IssueRequest checkIn = new IssueRequest(Actor.device("kiosk-1"), "A", PriorityClass.APPOINTMENT, null, "X1",
                FakeHall.local("2026-03-02T17:00"), FakeHall.local("2026-03-02T17:30"));
        assertTrue(rule.check(checkIn, hall.at("2026-03-02T17:10")).refused());
    }

    @Test
    void theKioskTextFromTheConfigurationLeadsTheRefusal() {
        ClosingRule withText = new ClosingRule(Duration.ofMinutes(15), "今日取号已截止");
        FakeHall hall = new FakeHall("A").everyDay("09:00", "17:30").at("2026-03-02T17:20");
        IssueVerdict v = withText.check(WALK_IN, hall);
        assertTrue(v.message().startsWith("今日取号已截止 ("), v.message());
    }

    @Test
    void eachPeriodOfTheDayHasItsCutOffAndPerWeekdayHoursApply() {
        FakeHall hall = new FakeHall("A").everyDay("09:00", "17:30").day(DayOfWeek.SATURDAY, "09:00", "12:00")
                .day(DayOfWeek.SUNDAY, null, null);
        // Saturday 2026-03-07 closes at 12:00: cut-off 11:30.
        assertFalse(rule.check(WALK_IN, hall.at("2026-03-07T11:29")).refused());
        assertTrue(rule.check(WALK_IN, hall.at("2026-03-07T11:30")).refused());
        // Sunday is closed: the core refuses; the phase is closed with nothing left.
        assertEquals(HallPhase.CLOSED, rule.phase(hall.at("2026-03-08T10:00"), hall.windowIds()));
        // Monday opens normally.
        assertEquals(HallPhase.OPEN, rule.phase(hall.at("2026-03-09T09:00"), hall.windowIds()));
    }

    @Test
    void aHallOpenAroundTheClockNeverCutsOffButADayBeforeAClosedDayDoes() {
        FakeHall hall = new FakeHall("A").everyDay("00:00", "00:00");
        assertFalse(rule.check(WALK_IN, hall.at("2026-03-02T23:59")).refused());
        assertEquals(HallPhase.OPEN, rule.phase(hall, hall.windowIds()));
        hall.day(DayOfWeek.TUESDAY, null, null); // Monday 24 h, then closed
        assertTrue(rule.check(WALK_IN, hall.at("2026-03-02T23:45")).refused());
        assertFalse(rule.check(WALK_IN, hall.at("2026-03-02T23:29")).refused());
    }

    @Test
    void aHolidayTomorrowMakesTheEndOfATwentyFourHourDayAClosing() {
        FakeHall hall = new FakeHall("A").everyDay("00:00", "00:00").holiday("2026-03-03");
        assertTrue(rule.check(WALK_IN, hall.at("2026-03-02T23:30")).refused());
        assertEquals(HallPhase.CLOSED, rule.phase(hall.at("2026-03-03T10:00"), hall.windowIds()),
                "a holiday is closed");
    }

    @Test
    void aPeriodPastMidnightCutsOffOnTheNextDay() {
        FakeHall hall = new FakeHall("A").everyDay("22:00", "02:00");
        assertFalse(rule.check(WALK_IN, hall.at("2026-03-02T23:00")).refused());
        assertFalse(rule.check(WALK_IN, hall.at("2026-03-03T01:29")).refused());
        assertTrue(rule.check(WALK_IN, hall.at("2026-03-03T01:30")).refused());
    }

    @Test
    void theHallIsExtendedUntilTheLastTicketIsServedThenClosed() {
        FakeHall hall = new FakeHall("A", "B").everyDay("09:00", "17:30");
        hall.window("1", WindowState.IDLE, null, "A");
        hall.waits("A010", "A", "2026-03-02T16:40");
        assertEquals(HallPhase.OPEN, rule.phase(hall.at("2026-03-02T16:59"), hall.windowIds()));
        assertEquals(HallPhase.EXTENDED, rule.phase(hall.at("2026-03-02T17:00"), hall.windowIds()));
        // Called at window 1: still extended, past closing too.
        hall.served("A010");
        hall.window("1", WindowState.SERVING, "A010", "A");
        assertEquals(HallPhase.EXTENDED, rule.phase(hall.at("2026-03-02T17:40"), hall.windowIds()));
        hall.window("1", WindowState.IDLE, null, "A");
        assertEquals(HallPhase.CLOSED, rule.phase(hall, hall.windowIds()));
        // Past the cut-off with nothing left: closed at once.
        FakeHall quiet = new FakeHall("A").everyDay("09:00", "17:30");
        assertEquals(HallPhase.CLOSED, rule.phase(quiet.at("2026-03-02T17:05"), quiet.windowIds()));
    }

    @Test
    void aWindowCannotCloseWhileTicketsIssuedBeforeTheCutOffWaitForItAlone() {
        FakeHall hall = new FakeHall("A", "C").everyDay("09:00", "17:30");
        WindowView one = hall.window("1", WindowState.IDLE, null, "A");
        hall.window("2", WindowState.CLOSED, null, "A", "C");
        hall.waits("A010", "A", "2026-03-02T16:50");
        // Before the cut-off staff may sign off.
        assertEquals(Optional.empty(), rule.refuseClose(one, hall.at("2026-03-02T16:00"), hall.windowIds()));
        Optional<String> why = rule.refuseClose(one, hall.at("2026-03-02T17:10"), hall.windowIds());
        assertTrue(why.isPresent());
        assertTrue(why.get().contains("window 1") && why.get().contains("A"), why.get());
        // Past closing too (outside the hours).
        assertTrue(rule.refuseClose(one, hall.at("2026-03-02T18:00"), hall.windowIds()).isPresent());
        // Another open window serving A: window 1 may go.
        hall.window("2", WindowState.SERVING, "C003", "A", "C");
        assertEquals(Optional.empty(), rule.refuseClose(one, hall.at("2026-03-02T17:10"), hall.windowIds()));
        // A paused one does not count.
        hall.window("2", WindowState.PAUSED, null, "A", "C");
        assertTrue(rule.refuseClose(one, hall, hall.windowIds()).isPresent());
        // Nothing waiting in its categories: it may go.
        hall.served("A010");
        hall.waits("C004", "C", "2026-03-02T16:55");
        assertEquals(Optional.empty(), rule.refuseClose(one, hall, hall.windowIds()));
    }

    @Test
    void ticketsTransferredToAnotherWindowDoNotHoldAWindow() {
        FakeHall hall = new FakeHall("A").everyDay("09:00", "17:30");
        WindowView one = hall.window("1", WindowState.IDLE, null, "A");
        hall.window("3", WindowState.IDLE, null, "B");
        hall.waits("A011", "A", "2026-03-02T16:00", "3"); // for window 3 only (R9)
        assertEquals(Optional.empty(), rule.refuseClose(one, hall.at("2026-03-02T17:10"), hall.windowIds()));
        // A ticket that got in after the cut-off (the hours were changed during the day) is served too.
        hall.waits("A012", "A", "2026-03-02T17:05");
        assertTrue(rule.refuseClose(one, hall, hall.windowIds()).isPresent());
    }

    @Test
    void dayRolloverStartsANewDayOpen() {
        FakeHall hall = new FakeHall("A").everyDay("09:00", "17:30");
        hall.waits("A010", "A", "2026-03-02T17:20");
        assertEquals(HallPhase.EXTENDED, rule.phase(hall.at("2026-03-02T23:59"), hall.windowIds()));
        hall.served("A010"); // the core's rollover closes the old day's tickets
        assertEquals(HallPhase.CLOSED, rule.phase(hall.at("2026-03-03T00:00"), hall.windowIds()));
        assertEquals(HallPhase.OPEN, rule.phase(hall.at("2026-03-03T09:00"), hall.windowIds()));
    }

    @Test
    void configurationIsCheckedWithKeyAndReason() throws ConfigProblem {
        assertEquals(new Config(Duration.ofMinutes(30), ""), Config.read(Map.of()));
        assertEquals(new Config(Duration.ofMinutes(0), "停止取号"),
                Config.read(Map.of("cutoffMinutes", "0", "kioskText", "停止取号")));
        ConfigProblem p = assertThrows(ConfigProblem.class, () -> Config.read(Map.of("cutoffMinutes", "-5")));
        assertEquals("cutoffMinutes", p.key());
        assertEquals("cutoffMinutes", assertThrows(ConfigProblem.class,
                () -> Config.read(Map.of("cutoffMinutes", "half an hour"))).key());
    }
}
