package org.openhall.mqtt.bridge.internal.command;

import org.openhall.api.queue.Request;

/**
 * A command as read from MQTT: valid (a {@link Request} and an {@link Operation}) or rejected (an
 * {@link InputError}). Both carry what could be read of the envelope, to address the reply.
 */
public sealed interface ParsedCommand {

    /** The command's name (the last topic level). */
    String name();

    /** The request id, or null when it could not be read. */
    String requestId();

    /** The sender, or null when it could not be read. */
    String clientId();

    /** The reply topic it asked for, or null. */
    String replyTo();

    record Valid(String name, Request request, String clientId, String replyTo, Operation operation)
            implements ParsedCommand {
        @Override
        public String requestId() {
            return request.requestId();
        }
    }

    record Rejected(String name, String requestId, String clientId, String replyTo, InputError code, String message)
            implements ParsedCommand {
    }
}
