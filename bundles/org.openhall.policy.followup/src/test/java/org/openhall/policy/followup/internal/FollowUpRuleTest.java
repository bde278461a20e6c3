package org.openhall.policy.followup.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.openhall.api.config.ConfigProblem;
import org.openhall.api.queue.Alert;

class FollowUpRuleTest {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final Set<DayOfWeek> WEEKEND = Set.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
    static final WorkingDays PLAIN = new WorkingDays(SHANGHAI, WEEKEND, Set.of());
    /** National Day week 2026: 1-7 October are holidays. */
    static final WorkingDays NATIONAL_DAY = new WorkingDays(SHANGHAI, WEEKEND,
            Set.of(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 2), LocalDate.of(2026, 10, 5),
                    LocalDate.of(2026, 10, 6), LocalDate.of(2026, 10, 7)));

    static Instant local(String dateTime) {
        return java.time.LocalDateTime.parse(dateTime).atZone(SHANGHAI).toInstant();
    }

    static FollowUpRule rule(Map<String, Object> config, Instant now) throws ConfigProblem {
        return new FollowUpRule(Config.read(config), Clock.fixed(now, SHANGHAI));
    }

    @Test
    void workingDaysSkipWeekendsAndHolidays() {
        // Wednesday 2026-03-04 + 3 working days = Monday 2026-03-09
        assertEquals(LocalDate.of(2026, 3, 9), PLAIN.after(LocalDate.of(2026, 3, 4), 3));
        // opened on a Saturday: Monday is the first working day
        assertEquals(LocalDate.of(2026, 3, 9), PLAIN.after(LocalDate.of(2026, 3, 7), 1));
        // Wednesday 30 September + 3: 1-7 October are off (2026-10-03/04 a weekend) → 8, 9, then Monday 12
        assertEquals(LocalDate.of(2026, 10, 12), NATIONAL_DAY.after(LocalDate.of(2026, 9, 30), 3));
        assertFalse(NATIONAL_DAY.isWorkingDay(LocalDate.of(2026, 10, 1)));
        assertTrue(NATIONAL_DAY.isWorkingDay(LocalDate.of(2026, 10, 8)));
    }

    @Test
    void theDeadlineIsTheEndOfTheLastWorkingDayInTheHallsZone() {
        // 23:30 on Friday in Shanghai is 15:30 UTC the same Friday: the day counts in the hall's zone
        Instant friday = local("2026-03-06T23:30");
        assertEquals(local("2026-03-12T00:00"), PLAIN.deadline(friday, 3), "Mon, Tue, Wed; due by Wed 24:00");
        assertEquals(LocalDate.of(2026, 3, 11), PLAIN.lastDay(PLAIN.deadline(friday, 3)));
        // 00:10 on Saturday (after the day rollover): the same deadline
        assertEquals(local("2026-03-12T00:00"), PLAIN.deadline(local("2026-03-07T00:10"), 3));
        // 00:10 on Friday: Friday itself does not count
        assertEquals(local("2026-03-11T00:00"), PLAIN.deadline(local("2026-03-06T00:10"), 2));
    }

    @Test
    void aBadRatingOpensAFollowUpAndAGoodOneDoesNot() throws Exception {
        Instant at = local("2026-09-30T10:15");
        FollowUpRule rule = rule(Map.of(), at);
        assertTrue(rule.rating("A012", "3", "1001", "A", 3, at, NATIONAL_DAY).isEmpty(), "基本满意 is not bad");
        FollowUp f = rule.rating("A012", "3", "1001", "A", 2, at, NATIONAL_DAY).orElseThrow();
        assertEquals("R20260930-A012-3", f.id());
        assertEquals(FollowUp.Kind.RATING, f.kind());
        assertEquals(LocalDate.of(2026, 10, 12), f.due(), "3 working days after the National Day holidays");
        assertEquals(local("2026-10-13T00:00"), f.deadline());
        assertEquals(f, FollowUp.parse(f.id(), f.json()), "stored and read back");
        assertTrue(rule(Map.of("badLevel", "1"), at).rating("A012", "3", "1001", "A", 2, at, PLAIN).isEmpty());
    }

    @Test
    void aComplaintGetsItsOwnDeadlineAndNeverStoresPersonalNumbers() throws Exception {
        Instant now = local("2026-03-06T16:45:10");
        FollowUpRule rule = rule(Map.of(), now);
        FollowUp c = rule.complaint("3", "1002", "B007", "态度生硬,未一次性告知材料", PLAIN, Set.of());
        assertEquals("C20260306-164510", c.id());
        assertEquals(LocalDate.of(2026, 3, 10), c.due(), "2 working days after a Friday: Mon, Tue");
        FollowUp again = rule.complaint("3", "1002", "B007", "另一件", PLAIN, Set.of(c.id()));
        assertEquals("C20260306-164510-2", again.id());
        assertThrows(IllegalArgumentException.class,
                () -> rule.complaint("3", "1002", "B007", "请回电 13812345678", PLAIN, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> rule.complaint("3", "1002", "B007", "  ", PLAIN, Set.of()));
        assertEquals(c, FollowUp.parse(c.id(), c.json()));
    }

    @Test
    void overdueFollowUpsRaiseOnceAndClosedOnesAreCleared() throws Exception {
        Instant opened = local("2026-03-02T09:00"); // Monday
        FollowUp f = rule(Map.of(), opened).rating("A001", "1", "1001", "A", 1, opened, PLAIN).orElseThrow();
        assertEquals(local("2026-03-06T00:00"), f.deadline());
        FollowUpRule before = rule(Map.of(), local("2026-03-05T23:59:59"));
        assertEquals(new FollowUpRule.Check(List.of(), List.of()), before.check(List.of(f), List.of()));
        // the day rolls over: Friday 00:00 in the hall
        FollowUpRule after = rule(Map.of(), local("2026-03-06T00:00"));
        assertEquals(new FollowUpRule.Check(List.of(f), List.of()), after.check(List.of(f), List.of("overflow:A")));
        assertEquals(new FollowUpRule.Check(List.of(), List.of()), after.check(List.of(f), List.of(f.alertId())),
                "raised once");
        assertEquals(new FollowUpRule.Check(List.of(), List.of(f.alertId())),
                after.check(List.of(), List.of(f.alertId(), "overflow:A")), "closed: its alert is cleared");
        Alert a = after.alert(f);
        assertEquals("followup:R20260302-A001-1", a.id());
        assertEquals("FOLLOWUP_OVERDUE", a.kind());
        assertEquals("1", a.windowId());
        assertEquals("1号窗口差评回访R20260302-A001-1已超期(期限2026-03-05)", a.text());
    }

    @Test
    void openFollowUpsAreReadFromThePolicyStateSkippingOtherValues() throws Exception {
        Instant at = local("2026-03-02T09:00");
        FollowUpRule rule = rule(Map.of(), at);
        FollowUp f = rule.rating("A001", "1", "1001", "A", 1, at, PLAIN).orElseThrow();
        List<String> unreadable = new ArrayList<>();
        assertEquals(List.of(f),
                FollowUpRule.open(Map.of(f.id(), f.json(), "junk", "{\"x\":1}", "_seen", "42"), unreadable));
        assertEquals(List.of("junk"), unreadable);
    }

    @Test
    void badConfigurationsNameTheKey() {
        assertEquals("weekend", assertThrows(ConfigProblem.class, () -> Config.read(Map.of("weekend", "FRIYAY"))).key());
        assertEquals("ratingWorkingDays",
                assertThrows(ConfigProblem.class, () -> Config.read(Map.of("ratingWorkingDays", "0"))).key());
        assertEquals("badLevel", assertThrows(ConfigProblem.class, () -> Config.read(Map.of("badLevel", "5"))).key());
    }
}
