package org.openhall.queue.core.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.openhall.api.policy.CallingContext;
import org.openhall.api.policy.WaitingTicket;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.TicketState;
import org.openhall.api.queue.TicketView;

/** The default calling order, fairness (R1), transfers (R9), re-activation (R11), pauses (R4), policies. */
class CallingOrderTest {

    private static QueueSettings fairness(int maxConsecutive, Duration maxWait) {
        return TestHall.settings(maxConsecutive, maxWait, Duration.ofMinutes(30), 2, 20, Duration.ofMinutes(5), 90);
    }

    private static List<String> callAll(TestHall h, String window) {
        List<String> order = new ArrayList<>();
        while (h.decide(new Command.CallNext(TestHall.staffActor(window), window)) instanceof Decision.Accepted) {
            order.add(h.call(window).number());
            h.start(window);
            h.advanceSeconds(10);
            h.done(window);
        }
        return order;
    }

    @Test
    void priorityFirstThenPlaceInTime() {
        TestHall h = new TestHall(TestHall.config(fairness(0, null)));
        h.issue("A");
        h.advanceSeconds(1);
        h.issue("A", PriorityClass.GREEN_CHANNEL);
        h.advanceSeconds(1);
        h.issue("A");
        h.advanceSeconds(1);
        h.issue("A", PriorityClass.APPOINTMENT);
        h.advanceSeconds(1);
        h.open("1");
        assertEquals(List.of("A002", "A004", "A001", "A003"), callAll(h, "1"));
    }

    @Test
    void windowsCallAcrossTheirCategoriesByPlaceInTime() {
        TestHall h = new TestHall(TestHall.config(fairness(0, null)));
        h.issue("B");
        h.advanceSeconds(1);
        h.issue("A");
        h.advanceSeconds(1);
        h.issue("B");
        h.open("2"); // serves A and B
        assertEquals(List.of("B001", "A001", "B002"), callAll(h, "2"));
    }

    @Test
    void categoryPreferenceBreaksTiesOfTheSameInstant() {
        TestHall h = new TestHall(TestHall.config(fairness(0, null)));
        h.issue("B");
        h.issue("A"); // same instant: window 2 prefers A (its first category)
        h.open("2");
        assertEquals(List.of("A001", "B001"), callAll(h, "2"));
    }

    @Test
    void fairnessAfterTooManyPriorityCallsInARow() {
        TestHall h = new TestHall(TestHall.config(fairness(2, null)));
        h.issue("A"); // A001 normal
        h.advanceSeconds(1);
        for (int i = 0; i < 4; i++) {
            h.issue("A", PriorityClass.GREEN_CHANNEL); // A002..A005
            h.advanceSeconds(1);
        }
        h.issue("A"); // A006
        h.open("1");
        // two priority calls, then the oldest normal (R1), then priority again
        assertEquals(List.of("A002", "A003", "A001", "A004", "A005", "A006"), callAll(h, "1"));
    }

    @Test
    void consecutivePriorityCallsAreHallWide() {
        TestHall h = new TestHall(TestHall.config(fairness(2, null)));
        h.issue("A");
        h.issue("B", PriorityClass.GREEN_CHANNEL);
        h.issue("B", PriorityClass.GREEN_CHANNEL);
        h.issue("A", PriorityClass.GREEN_CHANNEL);
        h.open("3");
        h.open("1");
        h.call("3"); // B001
        h.start("3");
        h.done("3");
        h.call("3"); // B002
        assertEquals(2, h.state.consecutivePriorityCalls());
        assertEquals("A001", h.call("1").number(), "window 1 lets the normal ticket through");
        assertEquals(0, h.state.consecutivePriorityCalls());
    }

    @Test
    void fairnessWhenTheOldestNormalTicketWaitedTooLong() {
        TestHall h = new TestHall(TestHall.config(fairness(0, Duration.ofMinutes(10))));
        h.issue("A"); // A001 normal at T0
        h.advance(Duration.ofMinutes(5));
        h.issue("A", PriorityClass.GREEN_CHANNEL); // A002
        h.issue("A", PriorityClass.GREEN_CHANNEL); // A003
        h.open("1");
        assertEquals("A002", h.call("1").number(), "A001 has waited 5 minutes only");
        h.start("1");
        h.advance(Duration.ofMinutes(5));
        h.done("1");
        assertEquals("A003", h.call("1").number(), "exactly 10 minutes is not longer than 10");
        h.start("1");
        h.advanceSeconds(1);
        h.done("1");
        h.issue("A", PriorityClass.GREEN_CHANNEL); // A004
        assertEquals("A001", h.call("1").number(), "waited more than 10 minutes: goes first");
    }

    @Test
    void transferKeepsNumberAndPlaceInTime() {
        TestHall h = new TestHall(TestHall.config(fairness(0, null)));
        h.issue("B"); // B001 at T0
        h.advanceSeconds(60);
        h.issue("A"); // A001
        h.advanceSeconds(60);
        h.issue("A"); // A002
        h.open("3");
        h.open("1");
        h.call("3");
        h.start("3");
        h.advanceSeconds(60);
        TicketView t = h.transfer("3", "A", null);
        assertEquals("B001", t.number());
        assertEquals("A", t.categoryId());
        assertEquals(TestHall.T0, t.issuedAt());
        assertEquals(TicketState.WAITING, t.state());
        assertEquals("3", t.responsibleWindowId(), "R8: the first window stays responsible");
        // R9: not sent to the back: issued first, called first
        assertEquals(List.of("B001", "A001", "A002"), callAll(h, "1"));
        assertEquals("3", h.ticket("B001").responsibleWindowId());
    }

    @Test
    void targetedTransferIsCalledOnlyByItsWindow() {
        TestHall h = new TestHall();
        h.issue("A");
        h.open("1");
        h.open("2");
        h.open("3");
        h.call("1");
        h.start("1");
        h.transfer("1", "B", "3");
        h.err(ErrorCode.NO_TICKET_WAITING, new Command.CallNext(TestHall.staffActor("2"), "2"));
        List<WaitingTicket> for3 = h.state.waitingFor("3");
        assertEquals(1, for3.size());
        assertEquals("3", for3.get(0).targetWindowId());
        assertTrue(h.state.waitingFor("2").isEmpty());
        assertEquals("A001", h.call("3").number());
        assertEquals("A001", h.state.snapshot(0, h.now).categories().get(1).lastCalled(), "last called of B");
    }

    @Test
    void reactivatedNoShowGoesBehindTwoOfItsCategory() {
        TestHall h = new TestHall(TestHall.config(fairness(0, null)));
        for (int i = 0; i < 5; i++) {
            h.issue("A");
            h.advanceSeconds(1);
        }
        h.open("1");
        h.call("1"); // A001
        h.noShow("1");
        TicketView r = h.reactivate("A001");
        assertEquals(TicketState.WAITING, r.state());
        assertEquals(0, r.calls());
        List<WaitingTicket> order = h.state.waitingFor("1");
        assertEquals(List.of("A002", "A003", "A001", "A004", "A005"),
                order.stream().map(WaitingTicket::number).toList());
        assertTrue(order.get(2).reactivated());
        assertFalse(order.get(0).reactivated());
        assertEquals(List.of("A002", "A003", "A001", "A004", "A005"), callAll(h, "1"));
    }

    @Test
    void reactivationWithFewWaitingGoesToTheEndAndZeroMeansHead() {
        TestHall h = new TestHall(TestHall.config(fairness(0, null)));
        h.issue("A");
        h.advanceSeconds(1);
        h.issue("A");
        h.open("1");
        h.call("1");
        h.noShow("1");
        h.reactivate("A001");
        assertEquals(List.of("A002", "A001"), h.state.waitingFor("1").stream().map(WaitingTicket::number).toList());

        QueueSettings head = TestHall.settings(0, null, Duration.ofMinutes(30), 0, 20, Duration.ofMinutes(5), 90);
        TestHall g = new TestHall(TestHall.config(head));
        for (int i = 0; i < 3; i++) {
            g.issue("A");
            g.advanceSeconds(1);
        }
        g.open("1");
        g.call("1");
        g.noShow("1");
        g.call("1"); // A002
        g.noShow("1");
        g.reactivate("A002");
        g.reactivate("A001");
        // both at the head, the latest re-activated first (0 places behind the head)
        assertEquals(List.of("A001", "A002", "A003"), g.state.waitingFor("1").stream().map(WaitingTicket::number).toList());
    }

    @Test
    void repeatedReactivationsAtTheSameSpotKeepAStrictOrder() {
        TestHall h = new TestHall(TestHall.config(fairness(0, null)));
        for (int i = 0; i < 6; i++) {
            h.issue("A");
            h.advanceSeconds(1);
        }
        h.open("1");
        for (int i = 0; i < 3; i++) { // A001, A002, A003 no-shows
            h.call("1");
            h.noShow("1");
        }
        h.reactivate("A003"); // behind A004, A005
        h.reactivate("A001"); // behind A004, A005 → before A003
        h.reactivate("A002"); // behind A004, A005 → before A001
        assertEquals(List.of("A004", "A005", "A002", "A001", "A003", "A006"),
                h.state.waitingFor("1").stream().map(WaitingTicket::number).toList());
    }

    @Test
    void reactivatedNormalTicketStillComesAfterPriorityOnes() {
        TestHall h = new TestHall(TestHall.config(fairness(0, null)));
        h.issue("A");
        h.advanceSeconds(1);
        h.open("1");
        h.call("1");
        h.noShow("1");
        h.issue("A", PriorityClass.GREEN_CHANNEL);
        h.issue("A", PriorityClass.GREEN_CHANNEL);
        h.issue("A", PriorityClass.GREEN_CHANNEL);
        h.reactivate("A001"); // no normal ticket waits: it is the first normal one
        assertEquals(List.of("A002", "A003", "A004", "A001"),
                h.state.waitingFor("1").stream().map(WaitingTicket::number).toList());
    }

    @Test
    void pausedWindowsAreSkipped() {
        TestHall h = new TestHall();
        h.open("1");
        h.open("2");
        h.issue("A");
        assertEquals(2, h.state.snapshot(0, h.now).categories().get(0).openWindows());
        h.pause("1", PauseKind.BRIEF, null);
        assertEquals(1, h.state.snapshot(0, h.now).categories().get(0).openWindows());
        h.err(ErrorCode.WINDOW_NOT_OPEN, new Command.CallNext(TestHall.staffActor("1"), "1"));
        assertEquals("A001", h.call("2").number());
        h.pause("2", PauseKind.BRIEF, null);
        assertEquals(0, h.state.snapshot(0, h.now).categories().get(0).openWindows());
        assertEquals(-1, h.state.snapshot(0, h.now).categories().get(0).estimatedWaitSeconds());
    }

    @Test
    void policyChoosesAmongCandidates() {
        TestHall h = new TestHall(TestHall.config(fairness(3, null)));
        h.issue("A");
        h.advanceSeconds(1);
        h.issue("A", PriorityClass.GREEN_CHANNEL);
        h.advanceSeconds(1);
        h.issue("B");
        h.open("2");
        List<CallingContext> seen = new ArrayList<>();
        h.policy = ctx -> {
            seen.add(ctx);
            return Optional.of("B001");
        };
        assertEquals("B001", h.call("2").number());
        assertNull(h.lastPolicyNote);
        CallingContext ctx = seen.get(0);
        assertEquals(List.of("A002", "A001", "B001"), ctx.candidates().stream().map(WaitingTicket::number).toList());
        assertEquals("A002", ctx.defaultChoice());
        assertEquals(0, ctx.consecutivePriorityCalls());
        assertEquals("2", ctx.window().id());
        assertEquals(h.now, ctx.now());
        assertEquals(PriorityClass.GREEN_CHANNEL, ctx.candidates().get(0).priority());
    }

    @Test
    void policyFailuresFallBackToTheDefault() {
        TestHall h = new TestHall();
        h.issue("A");
        h.advanceSeconds(1);
        h.issue("A");
        h.open("1");
        h.policy = ctx -> {
            throw new IllegalStateException("boom");
        };
        assertEquals("A001", h.call("1").number());
        assertTrue(h.lastPolicyNote.contains("boom"), h.lastPolicyNote);
        h.noShow("1");
        h.policy = ctx -> Optional.of("Z999");
        assertEquals("A002", h.call("1").number());
        assertTrue(h.lastPolicyNote.contains("Z999"), h.lastPolicyNote);
        h.noShow("1");
        h.reactivate("A001");
        h.policy = ctx -> null;
        assertEquals("A001", h.call("1").number());
        assertTrue(h.lastPolicyNote.contains("null"));
    }

    @Test
    void policyMayCallNobody() {
        TestHall h = new TestHall();
        h.issue("A");
        h.open("1");
        h.policy = ctx -> Optional.empty();
        h.err(ErrorCode.REFUSED_BY_POLICY, new Command.CallNext(TestHall.staffActor("1"), "1"));
    }
}
