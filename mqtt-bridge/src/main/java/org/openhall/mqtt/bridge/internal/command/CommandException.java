package org.openhall.mqtt.bridge.internal.command;

/** A rejected command: the code and a message for the client (never the payload itself). */
final class CommandException extends Exception {

    private static final long serialVersionUID = 1L;

    private final InputError code;

    CommandException(InputError code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    InputError code() {
        return code;
    }
}
