package org.openhall.queue.core.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.openhall.api.policy.CloseGate;
import org.openhall.api.policy.IssueGate;
import org.openhall.api.policy.IssueVerdict;
import org.openhall.api.policy.PhasePolicy;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.Alert;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.Evaluation;
import org.openhall.api.queue.Figures;
import org.openhall.api.queue.HallPhase;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.WindowView;

/** The decision points and state of API 1.1: evaluations, alerts, tidal windows, policy state, gates, phase. */
class PolicyPointsTest {

    private static final Actor EVALUATOR = Actor.device("evaluator-1");
    private static final Actor POLICY = Actor.system("test-policy");

    @Test
    void aFinishedTransactionIsRatedOnceByTheEvaluatorNotByStaff() {
        TestHall h = new TestHall();
        h.open("1");
        h.issue("A");
        h.err(ErrorCode.ILLEGAL_STATE, new Command.Evaluate(EVALUATOR, "1", 5)); // nothing finished yet
        h.serve("1", 60);
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.Evaluate(Actor.staff("1001"), "1", 5)); // R7
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.Evaluate(EVALUATOR, "1", 6));
        Evaluation e = (Evaluation) h.ok(new Command.Evaluate(EVALUATOR, "1", 2));
        assertEquals("A001", e.ticketNumber());
        assertEquals("1001", e.staffId());
        assertTrue(e.isBad());
        h.err(ErrorCode.ILLEGAL_STATE, new Command.Evaluate(EVALUATOR, "1", 5)); // one rating per transaction

        h.issue("A");
        h.serve("1", 60);
        h.advance(HallState.EVALUATION_TIMEOUT.plusSeconds(1));
        h.err(ErrorCode.EXPIRED, new Command.Evaluate(EVALUATOR, "1", 5)); // not rated, never a default

        h.issue("A");
        h.serve("1", 60);
        h.ok(new Command.Evaluate(EVALUATOR, "1", 4));
        Figures hall = h.state.statistics(TestHall.DAY).orElseThrow().hall();
        assertEquals(3, hall.served());
        assertEquals(2, hall.rated());
        assertEquals(1, hall.satisfied());
        assertEquals(0.5, hall.satisfactionRate());
        assertEquals(2, h.state.statistics(TestHall.DAY).orElseThrow().byStaff().get("1001").rated());
        assertRoundTrips(h);
    }

    @Test
    void alertsAreRaisedReplacedAndClearedOnce() {
        TestHall h = new TestHall();
        Alert raised = (Alert) h.ok(new Command.RaiseAlert(POLICY, Alert.of("overflow:A", "QUEUE_OVERFLOW", "A", null, "排队超过10人")));
        assertEquals(TestHall.T0, raised.raisedAt());
        int events = h.events.size();
        h.ok(new Command.RaiseAlert(POLICY, Alert.of("overflow:A", "QUEUE_OVERFLOW", "A", null, "排队超过10人")));
        assertEquals(events, h.events.size(), "raising the same alert again is no event");
        h.ok(new Command.RaiseAlert(POLICY, Alert.of("overflow:A", "QUEUE_OVERFLOW", "A", null, "排队超过15人")));
        assertEquals(events + 1, h.events.size());
        assertEquals("排队超过15人", h.state.snapshot(0, h.now).alerts().get(0).text());
        assertRoundTrips(h);
        assertEquals(Boolean.TRUE, h.ok(new Command.ClearAlert(POLICY, "overflow:A")));
        assertEquals(Boolean.FALSE, h.ok(new Command.ClearAlert(POLICY, "overflow:A")));
        assertTrue(h.state.snapshot(0, h.now).alerts().isEmpty());
    }

    @Test
    void assignedCategoriesAreCalledUntilTakenBackOrTheWindowCloses() {
        TestHall h = new TestHall();
        h.open("4"); // serves C only
        h.issue("A");
        h.err(ErrorCode.NO_TICKET_WAITING, new Command.CallNext(TestHall.staffActor("4"), "4"));
        h.err(ErrorCode.UNKNOWN_CATEGORY, new Command.AssignCategories(POLICY, "4", List.of("Z")));
        h.err(ErrorCode.WINDOW_NOT_OPEN, new Command.AssignCategories(POLICY, "3", List.of("A")));
        WindowView w = (WindowView) h.ok(new Command.AssignCategories(POLICY, "4", List.of("A", "C")));
        assertEquals(List.of("C", "A"), w.categories());
        assertEquals(List.of("A"), w.assigned());
        assertEquals(1, h.state.snapshot(0, h.now).categories().get(0).openWindows());
        assertEquals("A001", h.call("4").number());
        assertRoundTrips(h);
        h.start("4");
        h.done("4");
        h.close("4");
        assertEquals(List.of(), h.window("4").assigned());
    }

    @Test
    void policyStateIsStoredChangedAndRemoved() {
        TestHall h = new TestHall();
        String p = "org.openhall.policy.followup";
        assertEquals(Boolean.TRUE, h.ok(new Command.PutPolicyState(POLICY, p, "FU-1", "{\"due\":\"2026-03-05\"}")));
        assertEquals(Boolean.FALSE, h.ok(new Command.PutPolicyState(POLICY, p, "FU-1", "{\"due\":\"2026-03-05\"}")));
        h.ok(new Command.PutPolicyState(POLICY, p, "FU-2", "x"));
        assertEquals(Map.of("FU-1", "{\"due\":\"2026-03-05\"}", "FU-2", "x"), h.state.policyState(p));
        assertRoundTrips(h);
        h.ok(new Command.PutPolicyState(POLICY, p, "FU-1", null));
        assertEquals(Map.of("FU-2", "x"), h.state.policyState(p));
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.PutPolicyState(POLICY, "bad id!", "k", "v"));
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.PutPolicyState(POLICY, p, "k", "x".repeat(5000)));
        h.startDay(TestHall.DAY.plusDays(1));
        assertEquals(Map.of("FU-2", "x"), h.state.policyState(p), "policy state is kept across days");
    }

    @Test
    void issueGatesAreAskedInOrderAndTheFirstRefusalWins() {
        TestHall h = new TestHall();
        IssueGate downgrade = (r, v) -> r.priority() == PriorityClass.GREEN_CHANNEL
                ? IssueVerdict.allowAs(PriorityClass.NORMAL, "no green channel in category B") : IssueVerdict.allow();
        IssueGate refuseB = (r, v) -> "B".equals(r.categoryId()) && r.priority() == PriorityClass.NORMAL
                ? IssueVerdict.refuse(ErrorCode.HALL_CLOSED, "B stopped issuing") : IssueVerdict.allow();
        IssueGate broken = (r, v) -> {
            throw new IllegalStateException("bug in a policy");
        };
        h.policies = new Policies(null, List.of(broken, downgrade), List.of(), null);
        assertEquals(PriorityClass.NORMAL, h.issue("A", PriorityClass.GREEN_CHANNEL).ticket().priority());
        assertNotNull(h.lastPolicyNote, "the broken gate is reported");
        h.policies = new Policies(null, List.of(downgrade, refuseB), List.of(), null);
        assertEquals("B stopped issuing", h.err(ErrorCode.HALL_CLOSED,
                new Command.IssueTicket(TestHall.KIOSK, "B", PriorityClass.GREEN_CHANNEL, null)).message());
        h.policies = new Policies(null, List.of(refuseB, downgrade), List.of(), null);
        assertEquals(PriorityClass.NORMAL, h.issue("B", PriorityClass.GREEN_CHANNEL).ticket().priority(),
                "in this order the refusing gate saw GREEN_CHANNEL");
    }

    @Test
    void closeGatesCanKeepAWindowOpen() {
        TestHall h = new TestHall();
        h.open("1");
        h.issue("A");
        CloseGate waitingKeepsOpen = (w, v) -> w.categories().stream().anyMatch(c -> !v.waiting(c).isEmpty())
                ? Optional.of("tickets still wait for window " + w.id() + " (R3)") : Optional.empty();
        h.policies = new Policies(null, List.of(), List.of(waitingKeepsOpen), null);
        assertEquals("tickets still wait for window 1 (R3)",
                h.err(ErrorCode.REFUSED_BY_POLICY, new Command.CloseWindow(TestHall.staffActor("1"), "1")).message());
        h.serve("1", 30);
        h.close("1");
    }

    @Test
    void thePhaseFollowsOpeningHoursUnlessAPhasePolicyDecides() {
        Map<DayOfWeek, List<OpeningHours>> hours = new EnumMap<>(DayOfWeek.class);
        hours.put(DayOfWeek.MONDAY, List.of(new OpeningHours(LocalTime.of(9, 0), LocalTime.of(17, 0))));
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        HallState s = new HallState(TestHall.config(QueueSettings.DEFAULTS, zone, hours), TestHall.DAY);
        Instant morning = TestHall.DAY.atTime(10, 0).atZone(zone).toInstant();
        Instant evening = TestHall.DAY.atTime(17, 30).atZone(zone).toInstant();
        assertEquals(HallPhase.CLOSED, s.phase());
        assertEquals(HallPhase.OPEN, s.targetPhase(morning, Policies.NONE).getKey());
        assertEquals(HallPhase.CLOSED, s.targetPhase(evening, Policies.NONE).getKey());
        assertEquals(Optional.of(TestHall.DAY.atTime(17, 0).atZone(zone).toInstant()), s.closingTime(morning));
        assertEquals(Optional.empty(), s.closingTime(evening));

        PhasePolicy extended = (byHours, v) -> byHours == HallPhase.CLOSED && v.phase() != HallPhase.CLOSED
                ? HallPhase.EXTENDED : byHours;
        Policies p = new Policies(null, List.of(), List.of(), extended);
        Decision d = s.decide(new Command.SetPhase(POLICY, HallPhase.OPEN), morning, p);
        s.applyAll(((Decision.Accepted) d).events());
        assertEquals(HallPhase.EXTENDED, s.targetPhase(evening, p).getKey());
        PhasePolicy broken = (byHours, v) -> {
            throw new IllegalStateException("bug");
        };
        Map.Entry<HallPhase, String> fallback = s.targetPhase(evening, new Policies(null, List.of(), List.of(), broken));
        assertEquals(HallPhase.CLOSED, fallback.getKey());
        assertFalse(fallback.getValue().isEmpty());
        assertInstanceOf(Decision.Unchanged.class, s.decide(new Command.SetPhase(POLICY, HallPhase.OPEN), evening, p));
        HallState back = StateCodec.decode(StateCodec.encode(s), s.config());
        assertEquals(HallPhase.OPEN, back.phase());
    }

    @Test
    void theEvaluationWindowIsStatedInMinutes() {
        assertTrue(HallState.EVALUATION_TIMEOUT.compareTo(Duration.ofMinutes(1)) >= 0);
    }

    private static void assertRoundTrips(TestHall h) {
        HallState back = StateCodec.decode(StateCodec.encode(h.state), h.state.config());
        assertEquals(h.json(), new String(StateCodec.encode(back), java.nio.charset.StandardCharsets.UTF_8));
    }
}
