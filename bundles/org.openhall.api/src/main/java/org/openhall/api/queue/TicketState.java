package org.openhall.api.queue;

/** Where a ticket is in its visit. A transferred ticket is WAITING again in its new category (R9). */
public enum TicketState {
    WAITING,
    /** Called to a window and not yet started; recalls keep it here (R11). */
    CALLED,
    SERVING,
    /** The transaction ended with an {@link Outcome} other than a transfer. */
    FINISHED,
    /** Did not come after being called (R11); may be re-activated for a while. */
    NO_SHOW
}
