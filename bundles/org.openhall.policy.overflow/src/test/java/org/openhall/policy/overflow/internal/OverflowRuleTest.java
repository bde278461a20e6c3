package org.openhall.policy.overflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openhall.api.config.ConfigProblem;
import org.openhall.api.queue.Alert;
import org.openhall.api.queue.CategoryView;
import org.openhall.api.queue.HallPhase;
import org.openhall.api.queue.HallSnapshot;
import org.openhall.api.queue.WindowState;
import org.openhall.api.queue.WindowView;
import org.openhall.policy.overflow.internal.OverflowRule.Action;
import org.openhall.policy.overflow.internal.OverflowRule.Assign;
import org.openhall.policy.overflow.internal.OverflowRule.Clear;
import org.openhall.policy.overflow.internal.OverflowRule.Forget;
import org.openhall.policy.overflow.internal.OverflowRule.Raise;
import org.openhall.policy.overflow.internal.OverflowRule.Remember;

class OverflowRuleTest {

    static final Instant T = Instant.parse("2026-03-02T02:00:00Z");
    static final Clock CLOCK = Clock.fixed(T, ZoneOffset.UTC);

    /** A small hall: windows 1 [A], 4 [C], 5 [A, B, C] standby. */
    static final class Hall {
        LocalDate day = LocalDate.of(2026, 3, 2);
        Map<String, Integer> waiting = new HashMap<>(Map.of("A", 0, "B", 0, "C", 0));
        Map<String, WindowView> windows = new HashMap<>();
        List<Alert> alerts = new ArrayList<>();
        Map<String, String> state = new HashMap<>();

        Hall() {
            window("1", WindowState.IDLE, List.of("A"), false);
            window("4", WindowState.CLOSED, List.of("C"), false);
            window("5", WindowState.CLOSED, List.of("A", "B", "C"), true);
        }

        void window(String id, WindowState state, List<String> configured, boolean standby) {
            windows.put(id, new WindowView(id, id + "号窗口", state, configured, standby, null, null, null, null, null, T,
                    List.of()));
        }

        void open(String id) {
            WindowView w = windows.get(id);
            window(id, WindowState.IDLE, w.categories().stream().filter(c -> !w.assigned().contains(c)).toList(),
                    w.standby());
        }

        HallSnapshot snapshot() {
            List<CategoryView> cats = List.of("A", "B", "C").stream()
                    .map(c -> new CategoryView(c, c.equals("A") ? "社保医保" : c, waiting.get(c), 0, null, 60, 1))
                    .toList();
            return new HallSnapshot("demo", "demo", day, 1, T, cats,
                    windows.values().stream().sorted((a, b) -> a.id().compareTo(b.id())).toList(), HallPhase.OPEN,
                    alerts);
        }

        /** Does what the core would do with the actions. */
        List<Action> run(OverflowRule rule) {
            List<Action> actions = rule.decide(snapshot(), Map.copyOf(state));
            for (Action a : actions) {
                if (a instanceof Raise r) {
                    alerts.removeIf(x -> x.id().equals(r.alert().id()));
                    alerts.add(r.alert());
                } else if (a instanceof Clear c) {
                    alerts.removeIf(x -> x.id().equals(c.alertId()));
                } else if (a instanceof Remember r) {
                    state.put(r.key(), r.value());
                } else if (a instanceof Forget f) {
                    state.remove(f.key());
                } else if (a instanceof Assign as) {
                    WindowView w = windows.get(as.windowId());
                    List<String> configured = w.categories().stream().filter(c -> !w.assigned().contains(c)).toList();
                    List<String> all = new ArrayList<>(configured);
                    as.categories().stream().filter(c -> !all.contains(c)).forEach(all::add);
                    windows.put(w.id(), new WindowView(w.id(), w.name(), w.state(), all, w.standby(), null, null, null,
                            null, null, T, as.categories()));
                }
            }
            return actions;
        }
    }

    static OverflowRule rule(Map<String, Object> config) throws ConfigProblem {
        return new OverflowRule(Config.read(config), CLOCK);
    }

    @Test
    void anAlertIsRaisedAboveTheThresholdAndClearedOnlyBelowTheLowerOne() throws Exception {
        OverflowRule rule = rule(Map.of());
        Hall h = new Hall();
        h.waiting.put("A", 10);
        assertEquals(List.of(), h.run(rule), "10 waiting is not more than 10");
        h.waiting.put("A", 11);
        List<Action> raised = h.run(rule);
        assertEquals(1, raised.size());
        Alert a = ((Raise) raised.get(0)).alert();
        assertEquals("overflow:A", a.id());
        assertEquals("QUEUE_OVERFLOW", a.kind());
        assertEquals("A", a.categoryId());
        assertEquals("社保医保排队超过10人,请增开窗口", a.text());
        assertEquals(List.of(), h.run(rule), "raised once");
        h.waiting.put("A", 5);
        assertEquals(List.of(), h.run(rule), "hysteresis: 5 is not below 5");
        h.waiting.put("A", 12);
        assertEquals(List.of(), h.run(rule));
        h.waiting.put("A", 4);
        assertEquals(List.of(new Clear("overflow:A")), h.run(rule));
        h.waiting.put("A", 8);
        assertEquals(List.of(), h.run(rule), "not raised again until above the threshold");
    }

    @Test
    void perCategoryThresholdsTextsAndWatchedCategories() throws Exception {
        OverflowRule rule = rule(Map.of("threshold.B", "3", "clearBelow.B", "1", "text.B", "{category}类排队超过{threshold}人",
                "categories", "A,B"));
        Hall h = new Hall();
        h.waiting.put("B", 4);
        h.waiting.put("C", 50);
        List<Action> actions = h.run(rule);
        assertEquals(1, actions.size(), "C is not watched");
        assertEquals("B类排队超过3人", ((Raise) actions.get(0)).alert().text());
        h.waiting.put("B", 1);
        assertEquals(List.of(), h.run(rule));
        h.waiting.put("B", 0);
        assertEquals(List.of(new Clear("overflow:B")), h.run(rule));
    }

    @Test
    void aTidalWindowIsAssignedWhileTheQueueIsLongAndTakenBackWhenShort() throws Exception {
        OverflowRule rule = rule(Map.of("tidal.A", "4,5", "threshold", "3", "clearBelow", "1"));
        Hall h = new Hall();
        h.open("4");
        h.waiting.put("A", 4);
        List<Action> actions = h.run(rule);
        assertInstanceOf(Raise.class, actions.get(0));
        Remember remember = assertInstanceOf(Remember.class, actions.get(1));
        assertEquals("tidal.A", remember.key());
        assertEquals(Map.of("window", "4", "alert", "overflow:A", "waiting", 4, "since", T.toString()),
                new com.fasterxml.jackson.databind.ObjectMapper().readValue(remember.value(), Map.class),
                "the reason is stored before the window is assigned");
        assertEquals("4", OverflowRule.window(remember.value()));
        assertNull(OverflowRule.window("not json"), "an unreadable reason counts as absent");
        assertEquals(new Assign("4", List.of("A")), actions.get(2));
        assertEquals(3, actions.size());
        assertEquals(List.of("C", "A"), h.windows.get("4").categories());

        h.waiting.put("A", 2);
        assertEquals(List.of(), h.run(rule), "between the thresholds the window keeps helping");
        h.waiting.put("A", 0);
        assertEquals(List.of(new Clear("overflow:A"), new Assign("4", List.of()), new Forget("tidal.A")), h.run(rule),
                "taken back before the reason is removed");
        assertEquals(List.of("C"), h.windows.get("4").categories());
    }

    @Test
    void aRestartWithTheStoredReasonResumesWithoutActing() throws Exception {
        OverflowRule rule = rule(Map.of("tidal.A", "4"));
        Hall h = new Hall();
        h.open("4");
        h.waiting.put("A", 11);
        h.run(rule);
        assertEquals(List.of("A"), h.windows.get("4").assigned());
        // A new instance (the bundle updated) sees the alert and the stored reason in the hall.
        OverflowRule updated = rule(Map.of("tidal.A", "4"));
        h.waiting.put("A", 7);
        assertEquals(List.of(), h.run(updated));
        h.waiting.put("A", 3);
        assertEquals(List.of(new Clear("overflow:A"), new Assign("4", List.of()), new Forget("tidal.A")),
                h.run(updated));
    }

    @Test
    void whenTheTidalWindowClosedAnotherOpenOneIsAssigned() throws Exception {
        OverflowRule rule = rule(Map.of("tidal.A", "4,3"));
        Hall h = new Hall();
        h.window("3", WindowState.IDLE, List.of("B"), false);
        h.open("4");
        h.waiting.put("A", 11);
        h.run(rule);
        assertEquals(List.of("A"), h.windows.get("4").assigned());
        h.window("4", WindowState.CLOSED, List.of("C"), false); // closing ends the assignment
        List<Action> actions = h.run(rule);
        assertEquals("3", OverflowRule.window(((Remember) actions.get(0)).value()));
        assertEquals(new Assign("3", List.of("A")), actions.get(1));
        assertEquals(2, actions.size());
    }

    @Test
    void noOpenTidalWindowMeansOnlyTheAlertAndAWindowServingTheCategoryAlreadyIsLeftAlone() throws Exception {
        OverflowRule rule = rule(Map.of("tidal.A", "5"));
        Hall h = new Hall();
        h.waiting.put("A", 11);
        assertEquals(1, h.run(rule).size(), "window 5 is closed: the alert tells the manager to open it");
        h.open("5"); // staff signed in at the standby window: it serves A by its configuration
        assertEquals(List.of(), h.run(rule));
        assertTrue(h.state.isEmpty());
    }

    @Test
    void twoLongQueuesShareOneTidalWindowAndEachIsTakenBackAlone() throws Exception {
        OverflowRule rule = rule(Map.of("tidal.A", "4", "tidal.B", "4"));
        Hall h = new Hall();
        h.open("4");
        h.waiting.put("A", 11);
        h.waiting.put("B", 11);
        h.run(rule);
        assertEquals(List.of("A", "B"), h.windows.get("4").assigned());
        h.waiting.put("A", 0);
        List<Action> actions = h.run(rule);
        assertTrue(actions.contains(new Assign("4", List.of("B"))), actions::toString);
        assertEquals(Map.of("tidal.B", h.state.get("tidal.B")), h.state);
    }

    @Test
    void theDayRolloverEmptiesTheQueuesAndEndsAlertsAndAssignments() throws Exception {
        OverflowRule rule = rule(Map.of("tidal.A", "4"));
        Hall h = new Hall();
        h.open("4");
        h.waiting.put("A", 30);
        h.run(rule);
        // day.started: the unfinished tickets of the day before are closed; numbering restarts.
        h.day = h.day.plusDays(1);
        h.waiting.put("A", 0);
        assertEquals(List.of(new Clear("overflow:A"), new Assign("4", List.of()), new Forget("tidal.A")), h.run(rule));
    }

    @Test
    void badConfigurationsNameTheKey() {
        ConfigProblem p = assertThrows(ConfigProblem.class, () -> Config.read(Map.of("threshold", "5", "clearBelow", "6")));
        assertEquals("clearBelow", p.key());
        p = assertThrows(ConfigProblem.class, () -> Config.read(Map.of("threshold.A", "x")));
        assertEquals("threshold.A", p.key());
        p = assertThrows(ConfigProblem.class, () -> Config.read(Map.of("threshold", "0")));
        assertEquals("threshold", p.key());
    }
}
