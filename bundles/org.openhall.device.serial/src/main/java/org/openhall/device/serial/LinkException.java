package org.openhall.device.serial;

import java.io.IOException;

/** A request could not be carried out: the link is down, or the device did not answer in time or intelligibly. */
public final class LinkException extends IOException {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The port is not open (absent, unplugged, refused); the link keeps trying to reconnect. */
        DOWN,
        /** The device did not answer within the timeout, after every retry. */
        TIMEOUT,
        /** The link was closed. */
        CLOSED,
        /**
         * The device answered, but every answer was garbled (wrong length, a stray byte around it,
         * or refused by the driver's check), after every retry (since 1.1).
         */
        GARBLED
    }

    private final Reason reason;

    public LinkException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
