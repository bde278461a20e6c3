package org.openhall.api.queue;

import java.time.Instant;
import java.util.List;

/**
 * A window as it is now (R4, R12).
 *
 * @param id           window id as shown on its display, e.g. {@code 3}
 * @param name         display name from the configuration
 * @param state        its state
 * @param categories   the categories it serves, in configured order
 * @param standby      a tidal (潮汐) window opened when a queue is long (R2)
 * @param ticketNumber the ticket called or served, else null
 * @param staffId      signed-in staff, else null
 * @param staffName    signed-in staff's name, shown with the staff id on displays (R12), else null
 * @param pauseKind    when paused, else null
 * @param pauseReason  when paused, the reason given, else null
 * @param since        when it entered its current state
 * @param assigned     categories assigned to it for now on top of its configured ones (a tidal
 *                     window helping a long queue, R2); they are included in {@code categories}
 */
public record WindowView(String id, String name, WindowState state, List<String> categories, boolean standby,
        String ticketNumber, String staffId, String staffName, PauseKind pauseKind, String pauseReason,
        Instant since, List<String> assigned) {

    public WindowView {
        categories = List.copyOf(categories);
        assigned = assigned == null ? List.of() : List.copyOf(assigned);
    }

    /** The 1.0 constructor: nothing assigned. */
    public WindowView(String id, String name, WindowState state, List<String> categories, boolean standby,
            String ticketNumber, String staffId, String staffName, PauseKind pauseKind, String pauseReason,
            Instant since) {
        this(id, name, state, categories, standby, ticketNumber, staffId, staffName, pauseKind, pauseReason, since,
                List.of());
    }
}
