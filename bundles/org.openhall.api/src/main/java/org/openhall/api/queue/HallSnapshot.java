package org.openhall.api.queue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The whole hall at one sequence number: consistent, taken under the core's lock.
 *
 * @param hallId     the hall's id (topic root of the MQTT contract)
 * @param hallName   its display name
 * @param day        the business day tickets are numbered for
 * @param seq        the last event's sequence number included in this snapshot
 * @param at         when the snapshot was taken
 * @param categories every configured category
 * @param windows    every configured window
 * @param phase      open, extended or closed (R3, R13)
 * @param alerts     the alerts raised and not cleared, oldest first
 */
public record HallSnapshot(String hallId, String hallName, LocalDate day, long seq, Instant at,
        List<CategoryView> categories, List<WindowView> windows, HallPhase phase, List<Alert> alerts) {

    public HallSnapshot {
        categories = List.copyOf(categories);
        windows = List.copyOf(windows);
        phase = phase == null ? HallPhase.OPEN : phase;
        alerts = alerts == null ? List.of() : List.copyOf(alerts);
    }

    /** The 1.0 constructor: an open hall without alerts. */
    public HallSnapshot(String hallId, String hallName, LocalDate day, long seq, Instant at,
            List<CategoryView> categories, List<WindowView> windows) {
        this(hallId, hallName, day, seq, at, categories, windows, HallPhase.OPEN, List.of());
    }
}
