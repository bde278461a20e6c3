package org.openhall.policy.timelimit.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * R6: a transaction that runs past its committed time raises an alert until it ends. Plain Java
 * with an injectable {@link Clock}, so the rule is tested with any time.
 *
 * <p>What runs is not the rule's own state: it is derived from the hall (windows SERVING and their
 * tickets' {@code startedAt}) and given to {@link #sync} after every change and after a restart, so
 * an update of the bundle loses nothing. The alerts that are active in the hall tell which
 * overruns were already reported. Not thread-safe: the component calls it on its one thread.
 */
final class TimeLimitRule {

    static final String KIND = "TIME_LIMIT";
    static final String ALERT_PREFIX = "timelimit:";

    /** A transaction in progress at a window; {@code limit} null when it has none. */
    record Running(String windowId, String ticket, String categoryId, String serviceItemId, Instant startedAt,
            Duration limit) {

        String alertId() {
            return ALERT_PREFIX + windowId + ":" + ticket;
        }

        Instant due() {
            return limit == null ? null : startedAt.plus(limit);
        }
    }

    private final Clock clock;
    private final Map<String, Running> running = new LinkedHashMap<>(); // by alert id
    private final Set<String> alerted = new HashSet<>();

    TimeLimitRule(Clock clock) {
        this.clock = clock;
    }

    /**
     * What runs now, as the hall shows it.
     *
     * @param now          the transactions in progress
     * @param activeAlerts ids of the hall's active alerts
     * @return the ids of this policy's active alerts whose transaction ended (to clear)
     */
    List<String> sync(Collection<Running> now, Collection<String> activeAlerts) {
        running.clear();
        for (Running r : now) {
            running.put(r.alertId(), r);
        }
        alerted.retainAll(running.keySet());
        List<String> ended = new ArrayList<>();
        for (String id : activeAlerts) {
            if (!id.startsWith(ALERT_PREFIX)) {
                continue;
            }
            if (running.containsKey(id)) {
                alerted.add(id); // reported before a restart: not again
            } else {
                ended.add(id);
            }
        }
        return ended;
    }

    /** The transactions that ran past their limit since the last call (each reported once). */
    List<Running> overrun() {
        Instant now = clock.instant();
        List<Running> out = new ArrayList<>();
        for (Running r : running.values()) {
            if (r.limit() != null && !alerted.contains(r.alertId()) && !now.isBefore(r.due())) {
                alerted.add(r.alertId());
                out.add(r);
            }
        }
        return out;
    }

    /** The transaction's alert could not be raised: report it again on the next call. */
    void retry(Running r) {
        alerted.remove(r.alertId());
    }

    Collection<Running> running() {
        return List.copyOf(running.values());
    }
}
