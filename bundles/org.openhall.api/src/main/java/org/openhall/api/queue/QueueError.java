package org.openhall.api.queue;

import java.util.Objects;

/** A refused operation: a code for programs and a message for people (English, for logs). */
public record QueueError(ErrorCode code, String message) {

    public QueueError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
