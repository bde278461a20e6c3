package org.openhall.mqtt.bridge.internal.outbox;

/** The outbox's file cannot be used; the message names the file and the reason. */
public final class OutboxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OutboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
