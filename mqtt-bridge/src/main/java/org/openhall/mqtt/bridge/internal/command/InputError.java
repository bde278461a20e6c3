package org.openhall.mqtt.bridge.internal.command;

/**
 * Why the bridge rejected a command before it reached the queue core (docs/mqtt.md, "Error
 * codes"). Refusals of the core use {@link org.openhall.api.queue.ErrorCode} names instead;
 * {@link #INVALID_ARGUMENT} is the same name as the core's.
 */
public enum InputError {
    /** Longer than the configured maximum (default 16 KiB). */
    PAYLOAD_TOO_LARGE,
    /** Not valid UTF-8. */
    INVALID_UTF8,
    /** Not exactly one JSON object. */
    MALFORMED_JSON,
    /** The topic names no command of the contract. */
    UNKNOWN_COMMAND,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /** A field has the wrong JSON type. */
    WRONG_TYPE,
    /** A field's value is out of range. */
    INVALID_ARGUMENT,
    /**
     * {@code open-window} on a connection where sign-in over MQTT is off ({@code commands.allowSignIn}):
     * the command topics there are readable by subscribers, and a PIN must not travel where others read it.
     */
    SIGN_IN_DISABLED
}
