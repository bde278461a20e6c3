package org.openhall.policy.overflow.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.openhall.api.queue.Alert;
import org.openhall.api.queue.CategoryView;
import org.openhall.api.queue.HallSnapshot;
import org.openhall.api.queue.WindowState;
import org.openhall.api.queue.WindowView;

/**
 * R2: what the overflow policy does about the hall as it is now. Plain Java: it looks at a
 * {@link HallSnapshot} and the policy's stored state and returns the actions to take, so it is
 * tested with any hall and any clock.
 *
 * <p>Everything it needs is in the hall: whether a category is in overflow is the active alert
 * {@code overflow:<category>} (that is the hysteresis' memory), and which tidal window was
 * assigned to a category, and why, is the stored value {@code tidal.<category>}. So a restart or
 * an update of the bundle resumes where it was.
 */
final class OverflowRule {

    static final String KIND = "QUEUE_OVERFLOW";
    static final String ALERT_PREFIX = "overflow:";
    static final String TIDAL_KEY = "tidal.";

    /** What to do; the component performs them in the order given. */
    sealed interface Action {
    }

    record Raise(Alert alert) implements Action {
    }

    record Clear(String alertId) implements Action {
    }

    /** Store why a tidal window helps a category (before it is assigned: a restart finds the reason). */
    record Remember(String key, String value) implements Action {
    }

    /** Set a window's assigned categories (its configured ones are not included). */
    record Assign(String windowId, List<String> categories) implements Action {
    }

    /** Remove the stored reason (after the window was taken back). */
    record Forget(String key) implements Action {
    }

    private final Config config;
    private final Clock clock;

    OverflowRule(Config config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    static String alertId(String category) {
        return ALERT_PREFIX + category;
    }

    /** The window a stored tidal reason names, or null. */
    static String window(String storedValue) {
        if (storedValue == null) {
            return null;
        }
        try {
            Object window = JSON.readValue(storedValue, Map.class).get("window");
            return window == null ? null : window.toString();
        } catch (RuntimeException | JsonProcessingException e) {
            return null; // unreadable: treated as absent, and replaced
        }
    }

    /**
     * The actions that bring the hall in line with the rule.
     *
     * @param hall  the hall now
     * @param state this policy's stored state ({@code tidal.<category>} → reason)
     */
    List<Action> decide(HallSnapshot hall, Map<String, String> state) {
        Set<String> active = hall.alerts().stream().map(Alert::id).collect(Collectors.toSet());
        Map<String, WindowView> windows = new LinkedHashMap<>();
        Map<String, List<String>> assigned = new LinkedHashMap<>(); // as it will be after the actions
        for (WindowView w : hall.windows()) {
            windows.put(w.id(), w);
            assigned.put(w.id(), new ArrayList<>(w.assigned()));
        }
        List<Action> alerts = new ArrayList<>();
        List<Action> remember = new ArrayList<>();
        List<Action> forget = new ArrayList<>();
        for (CategoryView c : hall.categories()) {
            if (!config.watches(c.id())) {
                continue;
            }
            Config.Thresholds t = config.thresholds(c.id());
            String id = alertId(c.id());
            boolean raised = active.contains(id);
            // Hysteresis: above the threshold it is an overflow; it stays one until below clearBelow.
            boolean overflow = c.waiting() > t.raiseAbove() || raised && c.waiting() >= t.clearBelow();
            if (overflow && !raised) {
                alerts.add(new Raise(Alert.of(id, KIND, c.id(), null, config.text(c.id(), c.name(), t.raiseAbove()))));
            } else if (!overflow && raised) {
                alerts.add(new Clear(id));
            }

            String key = TIDAL_KEY + c.id();
            String storedWindow = window(state.get(key));
            List<String> candidates = config.tidal().getOrDefault(c.id(), List.of());
            if (overflow && !candidates.isEmpty()) {
                WindowView stored = storedWindow == null ? null : windows.get(storedWindow);
                if (stored != null && isOpen(stored) && assigned.get(stored.id()).contains(c.id())) {
                    continue; // the tidal window helps: nothing to do (also after a restart)
                }
                // No tidal window yet, or its assignment ended (closed, re-opened, taken back by hand).
                WindowView chosen = null;
                for (String wid : candidates) {
                    WindowView w = windows.get(wid);
                    if (w == null || !isOpen(w) || w.state() == WindowState.PAUSED) {
                        continue;
                    }
                    if (configured(w).contains(c.id())) {
                        break; // an open candidate serves it by configuration: it helps already
                    }
                    chosen = w;
                    break;
                }
                if (chosen != null) {
                    remember.add(new Remember(key, write(reason(chosen.id(), id, c.waiting()))));
                    assigned.get(chosen.id()).add(c.id());
                } else if (storedWindow != null) {
                    takeBack(storedWindow, c.id(), windows, assigned);
                    forget.add(new Forget(key));
                }
            } else if (!overflow && storedWindow != null) {
                takeBack(storedWindow, c.id(), windows, assigned);
                forget.add(new Forget(key));
            }
        }
        List<Action> out = new ArrayList<>(alerts);
        out.addAll(remember);
        for (WindowView w : hall.windows()) {
            List<String> now = assigned.get(w.id());
            if (!Objects.equals(now, w.assigned())) {
                out.add(new Assign(w.id(), List.copyOf(now)));
            }
        }
        out.addAll(forget);
        return out;
    }

    /** The stored reason of a tidal window: a flat JSON object (Jackson, as the core). */
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String write(Map<String, Object> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tidal reason cannot be written as JSON", e);
        }
    }

    private Map<String, Object> reason(String windowId, String alertId, int waiting) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("window", windowId);
        m.put("alert", alertId);
        m.put("waiting", waiting);
        m.put("since", clock.instant().toString());
        return m;
    }

    private static void takeBack(String windowId, String category, Map<String, WindowView> windows,
            Map<String, List<String>> assigned) {
        WindowView w = windows.get(windowId);
        if (w != null && isOpen(w)) {
            assigned.get(windowId).remove(category);
        }
    }

    private static boolean isOpen(WindowView w) {
        return w.state() != WindowState.CLOSED;
    }

    /** The window's configured categories (without those assigned for now). */
    private static List<String> configured(WindowView w) {
        return w.categories().stream().filter(k -> !w.assigned().contains(k)).toList();
    }
}
