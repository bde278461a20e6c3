package org.openhall.api.policy;

import java.time.Instant;
import java.util.List;

import org.openhall.api.queue.WindowView;

/**
 * What a {@link CallingPolicy} decides on.
 *
 * @param window                   the calling window
 * @param candidates               the tickets it may call, in the core's default order
 * @param consecutivePriorityCalls priority tickets called in a row, hall-wide, since the last
 *                                 normal one (for fairness bounds)
 * @param defaultChoice            the ticket the core's default would call, or null
 * @param now                      the core's clock
 */
public record CallingContext(WindowView window, List<WaitingTicket> candidates, int consecutivePriorityCalls,
        String defaultChoice, Instant now) {

    public CallingContext {
        candidates = List.copyOf(candidates);
    }
}
