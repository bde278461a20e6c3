package org.openhall.queue.core.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openhall.api.queue.DayStatistics;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.WindowState;

/** The day rollover (R13, R21). */
class DayRolloverTest {

    private static final LocalDate D1 = TestHall.DAY;
    private static final LocalDate D2 = D1.plusDays(1);

    @Test
    void unfinishedTicketsAreClosedAsNoShowsOfTheOldDay() {
        TestHall h = new TestHall(TestHall.config(TestHall.settings(3, Duration.ofMinutes(30),
                Duration.ofMinutes(30), 2, 20, Duration.ofMinutes(5), 2)));
        h.open("1");
        h.open("2");
        h.open("3");
        h.open("5");
        for (int i = 0; i < 4; i++) {
            h.issue("A"); // A001..A004
        }
        h.issue("B"); // B001
        h.issue("A", PriorityClass.GREEN_CHANNEL); // A005
        h.advanceSeconds(10);
        h.call("5"); // A005 (priority) called at window 5, then a brief pause
        h.pause("5", PauseKind.BRIEF, null);
        h.serve("1", 30); // A001 finished
        h.call("1"); // A002 called
        h.call("2"); // A003 called …
        h.noShow("2"); // … no-show
        h.call("3"); // B001 serving
        h.start("3");
        // A004 waiting
        h.advance(Duration.ofHours(10));

        Decision d = h.decide(new Command.StartDay(TestHall.SYSTEM, D2));
        DomainEvent.DayStarted e = (DomainEvent.DayStarted) ((Decision.Accepted) d).events().get(0);
        assertEquals(List.of("A002", "A004", "B001", "A005"), e.unfinishedTickets());
        assertEquals(D1, e.previousDay());
        assertEquals(D2.minusDays(2), e.keepStatisticsFrom());
        h.startDay(D2);

        DayStatistics s1 = h.state.statistics(D1).orElseThrow();
        assertEquals(6, s1.hall().issued());
        assertEquals(1, s1.hall().served());
        assertEquals(5, s1.hall().noShows(), "1 real no-show and 4 unfinished tickets");
        assertEquals(4, s1.byCategory().get("A").noShows());
        assertEquals(1, s1.byCategory().get("B").noShows());
        assertEquals(1, s1.byWindow().get("1").noShows());
        assertEquals(1, s1.byWindow().get("2").noShows());
        assertEquals(1, s1.byWindow().get("3").noShows());
        assertEquals(1, s1.byWindow().get("5").noShows());
        assertEquals(1, s1.byStaff().get("1005").noShows());

        // the new day
        assertEquals(D2, h.state.day());
        assertTrue(h.state.tickets().isEmpty());
        assertTrue(h.state.ticket("A001").isEmpty());
        assertEquals(0, h.state.consecutivePriorityCalls());
        assertEquals(WindowState.IDLE, h.window("1").state());
        assertEquals("1001", h.window("1").staffId(), "windows stay open");
        assertNull(h.window("1").ticketNumber());
        assertEquals(WindowState.IDLE, h.window("3").state());
        assertEquals(WindowState.PAUSED, h.window("5").state());
        assertNull(h.window("5").ticketNumber());
        assertEquals(WindowState.IDLE, h.resume("5").state());
        assertEquals(0, h.state.snapshot(0, h.now).categories().get(0).waiting());
        assertNull(h.state.snapshot(0, h.now).categories().get(0).lastCalled());
        assertEquals("A001", h.issue("A").ticket().number());
        h.err(ErrorCode.UNKNOWN_TICKET, new Command.Reactivate(TestHall.KIOSK, "A003"));
        DayStatistics s2 = h.state.statistics(D2).orElseThrow();
        assertEquals(1, s2.hall().issued());
        assertEquals(0, s2.hall().noShows());
        assertEquals(s1, h.state.statistics(D1).orElseThrow(), "a past day is frozen");
    }

    @Test
    void onlyLaterDays() {
        TestHall h = new TestHall();
        h.err(ErrorCode.ILLEGAL_STATE, new Command.StartDay(TestHall.SYSTEM, D1));
        h.err(ErrorCode.ILLEGAL_STATE, new Command.StartDay(TestHall.SYSTEM, D1.minusDays(1)));
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.StartDay(TestHall.SYSTEM, null));
        h.startDay(D1.plusDays(3)); // days without business may be skipped
        assertEquals(D1.plusDays(3), h.state.day());
        assertTrue(h.state.statistics(D1).isPresent(), "even an empty day is kept");
        assertTrue(h.state.statistics(D1.plusDays(1)).isEmpty());
    }

    @Test
    void pastStatisticsAreKeptForTheRetentionPeriod() {
        TestHall h = new TestHall(TestHall.config(TestHall.settings(3, Duration.ofMinutes(30),
                Duration.ofMinutes(30), 2, 20, Duration.ofMinutes(5), 2)));
        h.issue("A");
        h.startDay(D1.plusDays(1));
        h.startDay(D1.plusDays(2));
        assertTrue(h.state.statistics(D1).isPresent());
        assertEquals(1, h.state.statistics(D1).orElseThrow().hall().issued());
        h.startDay(D1.plusDays(3)); // keeps the 2 days before it
        assertTrue(h.state.statistics(D1).isEmpty());
        assertTrue(h.state.statistics(D1.plusDays(1)).isPresent());
        assertTrue(h.state.statistics(D1.plusDays(2)).isPresent());
    }

    @Test
    void rollingAveragesCarryOver() {
        QueueSettings s = TestHall.settings(3, Duration.ofMinutes(30), Duration.ofMinutes(30), 2, 20,
                Duration.ofMinutes(5), 90);
        TestHall h = new TestHall(TestHall.config(s));
        h.open("1");
        h.issue("A");
        h.serve("1", 100);
        h.startDay(D2);
        h.issue("A");
        assertEquals(100, h.state.snapshot(0, h.now).categories().get(0).estimatedWaitSeconds());
    }
}
