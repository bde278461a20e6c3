package org.openhall.policy.appointment.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openhall.api.config.ConfigProblem;
import org.openhall.api.policy.IssueRequest;
import org.openhall.api.policy.IssueVerdict;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.PriorityClass;

/** R10 with explicit times; the slot is 10:00-10:30 on Monday 2026-03-02 in Asia/Shanghai. */
class AppointmentRuleTest {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private static Instant at(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(ZONE).toInstant();
    }

    /** A check-in as the core passes it on: APPOINTMENT or NORMAL by its own 15 min tolerance. */
    private static IssueRequest checkIn(String now) {
        Instant t = at(now);
        Instant start = at("2026-03-02T10:00");
        Instant end = at("2026-03-02T10:30");
        boolean core = !t.isBefore(start.minus(Duration.ofMinutes(15))) && !t.isAfter(end);
        return new IssueRequest(Actor.device("kiosk-1"), "A", core ? PriorityClass.APPOINTMENT : PriorityClass.NORMAL,
                null, "BK-7", start, end);
    }

    private static PriorityClass result(AppointmentRule rule, String now) {
        IssueRequest r = checkIn(now);
        IssueVerdict v = rule.check(r, at(now), ZONE);
        assertFalse(v.refused(), () -> v.message());
        return v.priority() == null ? r.priority() : v.priority();
    }

    @Test
    void withinTheToleranceAndGraceTheCheckInIsAnAppointment() {
        AppointmentRule rule = new AppointmentRule(Duration.ofMinutes(30), Duration.ofMinutes(10), false);
        assertEquals(PriorityClass.NORMAL, result(rule, "2026-03-02T09:29"));
        assertEquals(PriorityClass.APPOINTMENT, result(rule, "2026-03-02T09:30"), "wider than the core's 15 min");
        assertEquals(PriorityClass.APPOINTMENT, result(rule, "2026-03-02T10:15"));
        assertEquals(PriorityClass.APPOINTMENT, result(rule, "2026-03-02T10:40"), "within the grace");
        assertEquals(PriorityClass.NORMAL, result(rule, "2026-03-02T10:41"), "late: an ordinary ticket");
    }

    @Test
    void aNarrowerWindowThanTheCoreTurnsItsAppointmentsIntoOrdinaryTickets() {
        AppointmentRule rule = new AppointmentRule(Duration.ofMinutes(5), Duration.ZERO, false);
        IssueRequest r = checkIn("2026-03-02T09:50");
        assertEquals(PriorityClass.APPOINTMENT, r.priority(), "the core's choice");
        IssueVerdict v = rule.check(r, at("2026-03-02T09:50"), ZONE);
        assertEquals(PriorityClass.NORMAL, v.priority());
        assertTrue(v.message().contains("09:55"), v.message());
    }

    @Test
    void tooEarlyCanBeRefusedWithTheTimeCheckInOpens() {
        AppointmentRule rule = new AppointmentRule(Duration.ofMinutes(15), Duration.ZERO, true);
        IssueVerdict v = rule.check(checkIn("2026-03-02T09:00"), at("2026-03-02T09:00"), ZONE);
        assertTrue(v.refused());
        assertEquals(ErrorCode.REFUSED_BY_POLICY, v.refusal());
        assertTrue(v.message().contains("09:45"), v.message());
        // Late ones are never refused: they become ordinary tickets (R10).
        IssueVerdict late = rule.check(checkIn("2026-03-02T11:00"), at("2026-03-02T11:00"), ZONE);
        assertFalse(late.refused());
    }

    @Test
    void aSlotAcrossMidnightAndTheNextDayUseTheSlotItself() {
        AppointmentRule rule = new AppointmentRule(Duration.ofMinutes(15), Duration.ofMinutes(15), false);
        IssueRequest r = new IssueRequest(Actor.device("kiosk-1"), "A", PriorityClass.NORMAL, null, "NIGHT-1",
                at("2026-03-02T23:50"), at("2026-03-03T00:10"));
        assertEquals(PriorityClass.APPOINTMENT, rule.check(r, at("2026-03-03T00:20"), ZONE).priority());
        assertEquals(PriorityClass.NORMAL,
                rule.check(r.withPriority(PriorityClass.APPOINTMENT), at("2026-03-03T00:26"), ZONE).priority());
    }

    @Test
    void walkInsAndClassesChosenByOtherGatesAreLeftAlone() {
        AppointmentRule rule = new AppointmentRule(Duration.ZERO, Duration.ZERO, true);
        IssueRequest walkIn = new IssueRequest(Actor.device("kiosk-1"), "A", PriorityClass.GREEN_CHANNEL, null, null,
                null, null);
        assertEquals(IssueVerdict.allow(), rule.check(walkIn, at("2026-03-02T09:00"), ZONE));
        IssueRequest green = checkIn("2026-03-02T08:00").withPriority(PriorityClass.GREEN_CHANNEL);
        assertEquals(IssueVerdict.allow(), rule.check(green, at("2026-03-02T08:00"), ZONE));
    }

    @Test
    void unchangedChoicesAreAllowedAsTheyAre() {
        AppointmentRule rule = new AppointmentRule(Duration.ofMinutes(15), Duration.ZERO, false);
        IssueVerdict v = rule.check(checkIn("2026-03-02T10:00"), at("2026-03-02T10:00"), ZONE);
        assertNull(v.priority());
    }

    @Test
    void configurationIsCheckedWithKeyAndReason() throws ConfigProblem {
        assertEquals(new Config(15, 0, false), Config.read(Map.of()));
        assertEquals(new Config(30, 10, true),
                Config.read(Map.of("earlyMinutes", "30", "lateGraceMinutes", "10", "tooEarly", "refuse")));
        assertEquals("earlyMinutes",
                assertThrows(ConfigProblem.class, () -> Config.read(Map.of("earlyMinutes", "-1"))).key());
        assertEquals("lateGraceMinutes",
                assertThrows(ConfigProblem.class, () -> Config.read(Map.of("lateGraceMinutes", "x"))).key());
        assertEquals("tooEarly", assertThrows(ConfigProblem.class, () -> Config.read(Map.of("tooEarly", "no"))).key());
    }
}
