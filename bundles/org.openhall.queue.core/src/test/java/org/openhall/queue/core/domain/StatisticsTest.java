package org.openhall.queue.core.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.CategoryView;
import org.openhall.api.queue.DayStatistics;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.Figures;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.ManualCase;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.TransferTarget;

/** Estimates (R14) and statistics (R21, R6) with figures computed by hand. */
class StatisticsTest {

    private static final double EPS = 1e-9;

    private static void assertFigures(Figures f, long issued, long served, long noShows, long transfers,
            double avgWait, double p90Wait, double avgHandling, double p90Handling, long overruns) {
        assertEquals(new Figures(issued, served, noShows, transfers, avgWait, p90Wait, avgHandling, p90Handling,
                overruns).toString(), round(f).toString());
    }

    /** Rounds doubles to 6 decimals so figures compare by value. */
    private static Figures round(Figures f) {
        return new Figures(f.issued(), f.served(), f.noShows(), f.transfers(), r(f.averageWaitSeconds()),
                r(f.p90WaitSeconds()), r(f.averageHandlingSeconds()), r(f.p90HandlingSeconds()), f.overruns());
    }

    private static double r(double d) {
        return Math.round(d * 1e6) / 1e6;
    }

    @Test
    void averagesPercentilesAndOverruns() {
        TestHall h = new TestHall();
        h.open("1");
        h.open("3");
        for (int i = 0; i < 10; i++) {
            h.issue("A");
        }
        h.issueItem("B", "B01");
        h.issueItem("B", "B01");
        // window 1: A00i called at T0 + 10·i s, served for i seconds
        for (int i = 1; i <= 10; i++) {
            h.now = TestHall.T0.plusSeconds(10L * i);
            h.call("1");
            h.start("1");
            h.advanceSeconds(i);
            h.done("1");
        }
        // window 3: B001 waits 200 s and overruns its 15 minutes; B002 takes exactly 15 minutes
        h.now = TestHall.T0.plusSeconds(200);
        h.call("3");
        h.start("3");
        h.advance(Duration.ofMinutes(16));
        h.done("3");
        h.call("3");
        h.start("3");
        h.advance(Duration.ofMinutes(15));
        h.done("3");

        DayStatistics s = h.state.statistics(TestHall.DAY).orElseThrow();
        assertEquals(TestHall.DAY, s.day());
        // waits 10..100, 200, 1160 → mean 1910/12, p90 = 11th of 12 = 200
        // handling 1..10, 960, 900 → mean 1915/12, p90 = 11th = 900
        assertFigures(s.hall(), 12, 12, 0, 0, r(1910.0 / 12), 200, r(1915.0 / 12), 900, 1);
        assertFigures(s.byCategory().get("A"), 10, 10, 0, 0, 55, 90, 5.5, 9, 0);
        assertFigures(s.byCategory().get("B"), 2, 2, 0, 0, 680, 1160, 930, 960, 1);
        // for windows and staff, "issued" counts the transactions they served
        assertFigures(s.byWindow().get("1"), 10, 10, 0, 0, 55, 90, 5.5, 9, 0);
        assertFigures(s.byStaff().get("1001"), 10, 10, 0, 0, 55, 90, 5.5, 9, 0);
        assertFigures(s.byWindow().get("3"), 2, 2, 0, 0, 680, 1160, 930, 960, 1);
        assertFigures(s.byStaff().get("1003"), 2, 2, 0, 0, 680, 1160, 930, 960, 1);
        assertEquals(2, s.byWindow().size());
    }

    @Test
    void transfersNoShowsAndManualCases() {
        TestHall h = new TestHall();
        h.open("1");
        h.open("3");
        h.issue("A");
        h.issue("A");
        h.now = TestHall.T0.plusSeconds(60);
        h.call("1"); // A001 waited 60
        h.start("1");
        h.now = TestHall.T0.plusSeconds(90);
        h.finish("1", Finish.transferred(new TransferTarget("B", null))); // handling 30, a transfer
        h.now = TestHall.T0.plusSeconds(100);
        h.call("3"); // second step: waited 10 since the transfer
        h.start("3");
        h.now = TestHall.T0.plusSeconds(160);
        h.done("3"); // handling 60
        h.now = TestHall.T0.plusSeconds(170);
        h.call("1"); // A002 waited 170
        h.now = TestHall.T0.plusSeconds(180);
        h.noShow("1");
        h.now = TestHall.T0.plusSeconds(400);
        h.manual(new ManualCase("C", null, "4", "1004", TestHall.T0, TestHall.T0.plusSeconds(300),
                TestHall.T0.plusSeconds(400), Finish.done())); // waited 300, handling 100

        DayStatistics s = h.state.statistics(TestHall.DAY).orElseThrow();
        assertFigures(s.hall(), 3, 2, 1, 1, 135, 300, r(190.0 / 3), 100, 0);
        assertFigures(s.byCategory().get("A"), 2, 0, 1, 1, 115, 170, 30, 30, 0);
        assertFigures(s.byCategory().get("B"), 0, 1, 0, 0, 10, 10, 60, 60, 0);
        assertFigures(s.byCategory().get("C"), 1, 1, 0, 0, 300, 300, 100, 100, 0);
        assertFigures(s.byWindow().get("1"), 1, 0, 1, 1, 115, 170, 30, 30, 0);
        assertFigures(s.byWindow().get("3"), 1, 1, 0, 0, 10, 10, 60, 60, 0);
        assertFigures(s.byWindow().get("4"), 1, 1, 0, 0, 300, 300, 100, 100, 0);
        assertEquals(s.byWindow().get("1"), s.byStaff().get("1001"));
        assertEquals(s.byWindow().get("4"), s.byStaff().get("1004"));
    }

    @Test
    void percentileIsNearestRank() {
        assertEquals(0, FiguresAccumulator.p90(List.of()));
        assertEquals(7, FiguresAccumulator.p90(List.of(7L)));
        assertEquals(9, FiguresAccumulator.p90(List.of(1L, 9L)));
        assertEquals(9, FiguresAccumulator.p90(List.of(10L, 9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L)));
        List<Long> hundred = new ArrayList<>();
        for (long i = 100; i >= 1; i--) {
            hundred.add(i);
        }
        assertEquals(90, FiguresAccumulator.p90(hundred));
        assertEquals(0, FiguresAccumulator.mean(List.of()));
    }

    @Test
    void manualCaseOverrunAndValidation() {
        TestHall h = new TestHall();
        h.now = TestHall.T0.plus(Duration.ofHours(1));
        ManualCase good = new ManualCase("A", "A02", "1", "1001", TestHall.T0, TestHall.T0.plusSeconds(60),
                TestHall.T0.plusSeconds(60 + 360), Finish.done());
        h.manual(good); // 6 minutes for a 5-minute item
        assertEquals(1, h.state.statistics(TestHall.DAY).orElseThrow().hall().overruns());

        Actor staff = TestHall.staffActor("1");
        Function<ManualCase, Command> cmd = m -> new Command.RecordManualCase(staff, m);
        Instant t = TestHall.T0;
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.RecordManualCase(staff, null));
        h.err(ErrorCode.INVALID_ARGUMENT,
                cmd.apply(new ManualCase("A", null, "1", "1001", t, t.minusSeconds(1), t, Finish.done())));
        h.err(ErrorCode.INVALID_ARGUMENT,
                cmd.apply(new ManualCase("A", null, "1", "1001", t, t, h.now.plusSeconds(1), Finish.done())));
        h.err(ErrorCode.INVALID_ARGUMENT,
                cmd.apply(new ManualCase("A", null, "1", "1001", t.minus(Duration.ofDays(1)), t, t, Finish.done())));
        h.err(ErrorCode.INVALID_ARGUMENT,
                cmd.apply(new ManualCase("A", null, "1", "1001", null, t, t, Finish.done())));
        h.err(ErrorCode.INVALID_ARGUMENT,
                cmd.apply(new ManualCase("A", null, "1", "1001", t, t, t, null)));
        h.err(ErrorCode.INVALID_ARGUMENT, cmd.apply(new ManualCase("A", null, "1", "1001", t, t,
                t, Finish.transferred(new TransferTarget("B", null)))));
        h.err(ErrorCode.UNKNOWN_CATEGORY,
                cmd.apply(new ManualCase("Q", null, "1", "1001", t, t, t, Finish.done())));
        h.err(ErrorCode.UNKNOWN_WINDOW,
                cmd.apply(new ManualCase("A", null, "9", "1001", t, t, t, Finish.done())));
        h.err(ErrorCode.UNKNOWN_STAFF,
                cmd.apply(new ManualCase("A", null, "1", "9999", t, t, t, Finish.done())));
        h.err(ErrorCode.UNKNOWN_SERVICE_ITEM,
                cmd.apply(new ManualCase("A", "B01", "1", "1001", t, t, t, Finish.done())));
        h.err(ErrorCode.INVALID_ARGUMENT,
                cmd.apply(new ManualCase("A", "A01", "1", "1001", t, t, t, Finish.done().withServiceItem("A02"))));
        h.err(ErrorCode.INVALID_ARGUMENT, cmd.apply(new ManualCase("A", "A01", "1", "1001", t, t,
                t, Finish.materialsIncomplete(List.of("户口本")))));
        h.err(ErrorCode.INVALID_ARGUMENT,
                cmd.apply(new ManualCase("A", null, "1", "1001", t, t, t, Finish.refused("x", null))));
    }

    @Test
    void estimatesAndTheirAccuracy() {
        QueueSettings settings = TestHall.settings(3, Duration.ofMinutes(30), Duration.ofMinutes(30), 2, 2,
                Duration.ofMinutes(5), 90);
        TestHall h = new TestHall(TestHall.config(settings));
        IssuedTicket a1 = h.issue("A");
        assertEquals(0, a1.peopleAhead());
        assertEquals(-1, a1.estimatedWaitSeconds(), "no window serving A is open");
        CategoryView closedA = h.state.snapshot(0, h.now).categories().get(0);
        assertEquals(-1, closedA.estimatedWaitSeconds());
        assertEquals(0, closedA.openWindows());

        h.open("1");
        h.open("2"); // both serve A; 300 s default handling
        IssuedTicket a2 = h.issue("A");
        assertEquals(1, a2.peopleAhead());
        assertEquals(150, a2.estimatedWaitSeconds()); // 1 × 300 ÷ 2
        IssuedTicket a3 = h.issue("A", PriorityClass.GREEN_CHANNEL);
        assertEquals(0, a3.peopleAhead(), "no priority ticket ahead");
        assertEquals(0, a3.estimatedWaitSeconds());
        IssuedTicket a4 = h.issue("A");
        assertEquals(3, a4.peopleAhead());
        assertEquals(450, a4.estimatedWaitSeconds());
        DomainEvent.TicketIssued ev = (DomainEvent.TicketIssued) h.events.get(h.events.size() - 1);
        assertEquals(450, ev.predictedWaitSeconds(), "the prediction is recorded at issue");
        assertEquals(3, ev.peopleAhead());

        CategoryView a = h.state.snapshot(0, h.now).categories().get(0);
        assertEquals("A", a.id());
        assertEquals("社保业务", a.name());
        assertEquals(4, a.waiting());
        assertEquals(1, a.priorityWaiting());
        assertEquals(600, a.estimatedWaitSeconds());
        assertEquals(2, a.openWindows());

        h.now = TestHall.T0.plusSeconds(10);
        assertEquals("A003", h.call("1").number()); // actual 10 vs predicted 0
        h.start("1");
        h.advanceSeconds(60);
        h.done("1");
        assertEquals("A001", h.call("1").number()); // predicted -1: not a sample
        h.start("1");
        h.advanceSeconds(120);
        h.done("1");
        assertEquals("A002", h.call("1").number()); // at T0+190: actual 190 vs 150
        h.start("1");
        h.advanceSeconds(240);
        h.done("1");
        // rolling average of the last 2 transactions: (120 + 240) / 2 = 180; 1 waiting ÷ 2 windows
        CategoryView after = h.state.snapshot(0, h.now).categories().get(0);
        assertEquals(1, after.waiting());
        assertEquals("A002", after.lastCalled());
        assertEquals(90, after.estimatedWaitSeconds());
        assertEquals("A004", h.call("2").number()); // at T0+430: actual 430 vs 450

        DayStatistics.EstimateAccuracy acc = h.state.statistics(TestHall.DAY).orElseThrow().estimate();
        assertEquals(3, acc.samples());
        assertEquals(70.0 / 3, acc.meanAbsoluteErrorSeconds(), EPS);
        assertEquals(10.0, acc.meanErrorSeconds(), EPS);
        assertTrue(h.state.statistics(TestHall.DAY.plusDays(1)).isEmpty());
        assertTrue(h.state.statistics(TestHall.DAY.minusDays(1)).isEmpty());
    }
}
