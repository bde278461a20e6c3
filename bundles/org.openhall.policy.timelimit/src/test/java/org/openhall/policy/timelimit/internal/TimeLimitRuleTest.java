package org.openhall.policy.timelimit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openhall.api.config.ConfigProblem;
import org.openhall.policy.timelimit.internal.TimeLimitRule.Running;

class TimeLimitRuleTest {

    static final Instant T = Instant.parse("2026-03-02T02:00:00Z"); // 10:00 in the hall

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = T;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static Running running(String window, String ticket, Instant started, int minutes) {
        return new Running(window, ticket, "A", "A01", started, minutes == 0 ? null : Duration.ofMinutes(minutes));
    }

    @Test
    void aTransactionPastItsLimitIsReportedOnceAndItsAlertClearedWhenItEnds() {
        MovingClock clock = new MovingClock();
        TimeLimitRule rule = new TimeLimitRule(clock);
        Running r = running("3", "A012", T, 15);
        assertEquals(List.of(), rule.sync(List.of(r), List.of()));
        clock.now = T.plus(Duration.ofMinutes(15)).minusMillis(1);
        assertEquals(List.of(), rule.overrun());
        clock.now = T.plus(Duration.ofMinutes(15));
        assertEquals(List.of(r), rule.overrun());
        assertEquals("timelimit:3:A012", r.alertId());
        clock.now = T.plus(Duration.ofMinutes(30));
        assertEquals(List.of(), rule.overrun(), "reported once");
        // finished: the window no longer serves it, the hall still shows the alert
        assertEquals(List.of("timelimit:3:A012"), rule.sync(List.of(), List.of("timelimit:3:A012", "overflow:A")));
    }

    @Test
    void withoutALimitNothingIsReported() {
        MovingClock clock = new MovingClock();
        TimeLimitRule rule = new TimeLimitRule(clock);
        rule.sync(List.of(running("1", "B001", T, 0)), List.of());
        clock.now = T.plus(Duration.ofHours(5));
        assertEquals(List.of(), rule.overrun());
    }

    @Test
    void afterARestartAnAlertAlreadyRaisedIsNotReportedAgainAndOneMissedIsReported() {
        MovingClock clock = new MovingClock();
        clock.now = T.plus(Duration.ofMinutes(20));
        TimeLimitRule rule = new TimeLimitRule(clock); // a fresh instance: the bundle was updated
        Running reported = running("3", "A012", T, 15);
        Running missed = running("4", "C007", T, 5);
        rule.sync(List.of(reported, missed), List.of("timelimit:3:A012"));
        assertEquals(List.of(missed), rule.overrun());
    }

    @Test
    void aFailedRaiseIsReportedAgain() {
        MovingClock clock = new MovingClock();
        TimeLimitRule rule = new TimeLimitRule(clock);
        Running r = running("3", "A012", T, 1);
        rule.sync(List.of(r), List.of());
        clock.now = T.plus(Duration.ofMinutes(2));
        assertEquals(List.of(r), rule.overrun());
        rule.retry(r);
        assertEquals(List.of(r), rule.overrun());
    }

    @Test
    void theDayRolloverEndsTransactionsStillRunningAtMidnight() {
        // 23:50 in the hall (a 24-hour self-service area, R13): started at 23:40 with 5 minutes.
        Instant started = Instant.parse("2026-03-02T15:40:00Z");
        MovingClock clock = new MovingClock();
        clock.now = Instant.parse("2026-03-02T15:50:00Z");
        TimeLimitRule rule = new TimeLimitRule(clock);
        Running r = running("5", "A999", started, 5);
        rule.sync(List.of(r), List.of());
        assertEquals(List.of(r), rule.overrun());
        // day.started at midnight closes the unfinished tickets: the window serves nothing any more.
        clock.now = Instant.parse("2026-03-02T16:00:01Z");
        assertEquals(List.of("timelimit:5:A999"), rule.sync(List.of(), List.of("timelimit:5:A999")));
        // the next day numbers restart: A999 is never confused with a new A001 at the same window
        Running next = running("5", "A001", clock.now, 5);
        rule.sync(List.of(next), List.of());
        assertEquals(List.of(), rule.overrun());
    }

    @Test
    void theLimitComesFromThePolicyItemThenTheHallItemThenTheCategoryThenTheDefault() throws Exception {
        Config c = Config.read(Map.of("itemMinutes.A01", "20", "categoryMinutes.B", "12", "defaultMinutes", "30"));
        Map<String, Duration> hall = Map.of("A01", Duration.ofMinutes(15), "A02", Duration.ofMinutes(10));
        assertEquals(Duration.ofMinutes(20), c.limit("A", "A01", hall));
        assertEquals(Duration.ofMinutes(10), c.limit("A", "A02", hall));
        assertEquals(Duration.ofMinutes(12), c.limit("B", "B09", hall));
        assertEquals(Duration.ofMinutes(30), c.limit("C", null, hall));
        Config noHall = Config.read(Map.of("serviceItems", "false"));
        assertNull(noHall.limit("A", "A02", hall), "no default: no limit");
        assertEquals(Duration.ofSeconds(90), Config.read(Map.of("categoryMinutes.A", "90s")).limit("A", null, hall));
        assertEquals(Duration.ofMinutes(7), Config.read(Map.of("categoryMinutes.A", "7m")).limit("A", null, hall));
        assertEquals("3号窗口办理A012号已超过承诺时限15分钟",
                Config.read(Map.of()).text(running("3", "A012", T, 15)));
    }

    @Test
    void badConfigurationsNameTheKey() {
        assertEquals("categoryMinutes.A",
                assertThrows(ConfigProblem.class, () -> Config.read(Map.of("categoryMinutes.A", "0"))).key());
        assertEquals("itemMinutes.A01",
                assertThrows(ConfigProblem.class, () -> Config.read(Map.of("itemMinutes.A01", "1441"))).key());
        assertEquals("itemMinutes.A01",
                assertThrows(ConfigProblem.class, () -> Config.read(Map.of("itemMinutes.A01", "5h"))).key());
        assertEquals("defaultMinutes",
                assertThrows(ConfigProblem.class, () -> Config.read(Map.of("defaultMinutes", "lots"))).key());
        assertEquals("serviceItems",
                assertThrows(ConfigProblem.class, () -> Config.read(Map.of("serviceItems", "maybe"))).key());
    }
}
