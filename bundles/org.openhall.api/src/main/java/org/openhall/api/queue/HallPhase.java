package org.openhall.api.queue;

/**
 * Whether the hall serves citizens now (R3, R13). Changes are events ({@code hall.opened},
 * {@code hall.extended}, {@code hall.closed}).
 *
 * @since 1.1
 */
public enum HallPhase {
    /** Within the opening hours: tickets are issued. */
    OPEN,
    /** Past the cut-off or closing time: no new tickets, but tickets issued before are still served (R3). */
    EXTENDED,
    /** Closed: outside the opening hours, a holiday, or the last ticket of the day served. */
    CLOSED;

    /** The event type announcing this phase, e.g. {@value QueueEvents#HALL_EXTENDED}. */
    public String eventType() {
        return switch (this) {
            case OPEN -> QueueEvents.HALL_OPENED;
            case EXTENDED -> QueueEvents.HALL_EXTENDED;
            case CLOSED -> QueueEvents.HALL_CLOSED;
        };
    }
}
