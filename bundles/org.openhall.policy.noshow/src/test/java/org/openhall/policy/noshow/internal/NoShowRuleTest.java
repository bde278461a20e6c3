package org.openhall.policy.noshow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openhall.api.config.ConfigProblem;

class NoShowRuleTest {

    private static final Instant T = Instant.parse("2026-03-02T08:00:00Z");

    @Test
    void aTicketIsDueGraceAfterItsLastAllowedRecall() {
        NoShowRule rule = new NoShowRule(2, Duration.ofSeconds(60));
        rule.watch("1", "A001", 1, T); // first call
        rule.watch("1", "A001", 2, T.plusSeconds(30)); // first recall
        assertFalse(rule.isWatching("1"));
        rule.watch("1", "A001", 3, T.plusSeconds(60)); // second recall: the last one allowed
        assertEquals(List.of(), rule.due(T.plusSeconds(119)));
        List<NoShowRule.Watch> due = rule.due(T.plusSeconds(120));
        assertEquals(List.of(new NoShowRule.Watch("1", "A001", 3, T.plusSeconds(120))), due);
        assertEquals(List.of(), rule.due(T.plusSeconds(500)), "a due watch is reported once");
    }

    @Test
    void whatHappensAtTheWindowEndsTheWatch() {
        NoShowRule rule = new NoShowRule(0, Duration.ofSeconds(10));
        rule.watch("2", "B001", 1, T);
        assertTrue(rule.isWatching("2"));
        rule.forget("2"); // the citizen came: service started
        assertEquals(List.of(), rule.due(T.plusSeconds(60)));
    }

    @Test
    void windowsAreWatchedIndependently() {
        NoShowRule rule = new NoShowRule(1, Duration.ofSeconds(10));
        rule.watch("1", "A001", 2, T);
        rule.watch("2", "A002", 2, T.plusSeconds(5));
        assertEquals(1, rule.due(T.plusSeconds(10)).size());
        assertEquals("A002", rule.due(T.plusSeconds(15)).get(0).ticket());
    }

    @Test
    void configurationIsCheckedWithKeyAndReason() throws ConfigProblem {
        assertEquals(new Config(2, Duration.ofSeconds(60)), Config.read(Map.of()));
        assertEquals(new Config(1, Duration.ofSeconds(30)), Config.read(Map.of("recalls", "1", "graceSeconds", "30")));
        ConfigProblem p = assertThrows(ConfigProblem.class, () -> Config.read(Map.of("recalls", "-1")));
        assertEquals("recalls", p.key());
        assertEquals("graceSeconds", assertThrows(ConfigProblem.class,
                () -> Config.read(Map.of("graceSeconds", "soon"))).key());
    }
}
