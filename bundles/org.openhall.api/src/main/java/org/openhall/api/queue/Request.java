package org.openhall.api.queue;

import java.util.Objects;

/**
 * Who asks, and an optional request id. Repeating a request id returns the first result and
 * changes nothing, so a command redelivered by MQTT (QoS 1) never issues two tickets.
 *
 * @param actor     who performs the operation
 * @param requestId unique per intended operation (for example a UUID chosen by the client), or
 *                  {@code null} when the caller does not need idempotency
 */
public record Request(Actor actor, String requestId) {

    /** Longest request id accepted. */
    public static final int MAX_REQUEST_ID_LENGTH = 128;

    public Request {
        Objects.requireNonNull(actor, "actor");
        if (requestId != null && (requestId.isEmpty() || requestId.length() > MAX_REQUEST_ID_LENGTH)) {
            throw new IllegalArgumentException("request id must have 1.." + MAX_REQUEST_ID_LENGTH + " characters");
        }
    }

    public static Request by(Actor actor) {
        return new Request(actor, null);
    }

    public static Request by(Actor actor, String requestId) {
        return new Request(actor, requestId);
    }
}
