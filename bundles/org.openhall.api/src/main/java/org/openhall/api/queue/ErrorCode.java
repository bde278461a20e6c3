package org.openhall.api.queue;

/** Why an operation was refused. The MQTT contract sends these names as error codes. */
public enum ErrorCode {
    /** A missing or malformed argument. */
    INVALID_ARGUMENT(false),
    UNKNOWN_CATEGORY(false),
    UNKNOWN_WINDOW(false),
    UNKNOWN_TICKET(false),
    UNKNOWN_STAFF(false),
    UNKNOWN_SERVICE_ITEM(false),
    /** The staff credential does not match (R17). */
    BAD_CREDENTIALS(false),
    /** The operation is not allowed in the current state, e.g. finishing a ticket never started. */
    ILLEGAL_STATE(false),
    /** The window is closed or paused. */
    WINDOW_NOT_OPEN(false),
    /** The window serves categories with nobody waiting. */
    NO_TICKET_WAITING(false),
    /** The window does not serve that category. */
    CATEGORY_NOT_SERVED(false),
    /** The hall does not issue tickets now (closed, or past the cut-off, R3/R13). */
    HALL_CLOSED(false),
    /** A policy refused the operation; the message says which and why. */
    REFUSED_BY_POLICY(false),
    /** The re-activation period of a no-show has passed (R11). */
    EXPIRED(false),
    /** The request id was used before for a different operation. */
    REQUEST_ID_CONFLICT(false),
    /** The queue core is not running (starting, updating, or stopped on a storage error): try again. */
    UNAVAILABLE(true),
    /** An unexpected failure; nothing was changed. */
    INTERNAL(false);

    private final boolean retryable;

    ErrorCode(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether the same request may succeed if sent again later. */
    public boolean retryable() {
        return retryable;
    }
}
