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
 */
public record HallSnapshot(String hallId, String hallName, LocalDate day, long seq, Instant at,
        List<CategoryView> categories, List<WindowView> windows) {

    public HallSnapshot {
        categories = List.copyOf(categories);
        windows = List.copyOf(windows);
    }
}
