package org.openhall.mqtt.bridge.internal.payload;

import java.time.Instant;
import java.util.Objects;

/**
 * A device's health as {@code devices/{id}} publishes it (R5).
 *
 * @param id     device id, e.g. {@code printer-1}
 * @param type   device type, e.g. {@code ticket-printer}
 * @param status its status
 * @param detail a short text (e.g. "缺纸"), or null
 * @param since  when it entered this status
 */
public record DeviceHealth(String id, String type, Status status, String detail, Instant since) {

    public enum Status {
        ONLINE, OFFLINE, FAULT
    }

    public DeviceHealth {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(since, "since");
    }
}
