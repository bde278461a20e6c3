package org.openhall.api.policy;

import org.openhall.api.queue.HallPhase;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides the hall's phase (open, extended, closed). Without one, the hall is OPEN within its
 * opening hours and CLOSED outside them. The core asks after every operation and once a minute;
 * when the answer differs from the current phase it records a {@code hall.opened},
 * {@code hall.extended} or {@code hall.closed} event. With several, the highest service ranking
 * decides.
 *
 * <p>Called under the core's lock: answer quickly, no I/O, no calls into the queue. An exception is
 * logged and the default applies.
 *
 * @since 1.1
 */
@ConsumerType
public interface PhasePolicy {

    /**
     * @param byOpeningHours the default: OPEN within the opening hours, else CLOSED
     * @param hall           the hall now
     * @return the phase the hall should be in
     */
    HallPhase phase(HallPhase byOpeningHours, HallView hall);
}
