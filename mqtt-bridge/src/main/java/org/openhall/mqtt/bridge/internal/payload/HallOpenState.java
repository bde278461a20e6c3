package org.openhall.mqtt.bridge.internal.payload;

/** The hall's state in {@code status} (R3, R13). */
public enum HallOpenState {
    /** Tickets are issued. */
    OPEN("open"),
    /** Past closing: tickets issued before the cut-off are still being served (R3). */
    EXTENDED("extended"),
    CLOSED("closed");

    private final String wire;

    HallOpenState(String wire) {
        this.wire = wire;
    }

    /** The value in the contract. */
    public String wire() {
        return wire;
    }
}
