package org.openhall.policy.noshow.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * R11: a called ticket whose citizen does not come after {@code recalls} recalls is a no-show,
 * {@code grace} after the last recall. Plain Java with the time passed in, so the rule is tested
 * with any clock.
 *
 * <p>The rule keeps no state that must survive: what it waits for is derived from the queue (a
 * window CALLING a ticket called {@code recalls + 1} times), so after a restart or an update of the
 * bundle it is rebuilt from the hall's snapshot ({@link #watch}). Not thread-safe: the component
 * calls it under its own lock.
 */
final class NoShowRule {

    /** A ticket waiting for its citizen at a window after its last recall. */
    record Watch(String windowId, String ticket, int calls, Instant due) {
    }

    private final int recalls;
    private final Duration grace;
    /** By window: at most one ticket is called at a window. */
    private final Map<String, Watch> watches = new HashMap<>();

    NoShowRule(int recalls, Duration grace) {
        this.recalls = recalls;
        this.grace = grace;
    }

    int recalls() {
        return recalls;
    }

    Duration grace() {
        return grace;
    }

    /**
     * A ticket was called ({@code calls} calls so far at this step, the first included) at
     * {@code calledAt}: after the last allowed recall it is watched.
     */
    void watch(String windowId, String ticket, int calls, Instant calledAt) {
        if (calls >= recalls + 1) {
            watches.put(windowId, new Watch(windowId, ticket, calls, calledAt.plus(grace)));
        } else {
            watches.remove(windowId);
        }
    }

    /** The window moved on (started, finished, no-show, closed …): nothing to watch there. */
    void forget(String windowId) {
        watches.remove(windowId);
    }

    /** The watches that are due at {@code now}; they are forgotten. */
    List<Watch> due(Instant now) {
        List<Watch> out = new ArrayList<>();
        watches.values().removeIf(w -> {
            if (!now.isBefore(w.due())) {
                out.add(w);
                return true;
            }
            return false;
        });
        return out;
    }

    boolean isWatching(String windowId) {
        return watches.containsKey(windowId);
    }
}
