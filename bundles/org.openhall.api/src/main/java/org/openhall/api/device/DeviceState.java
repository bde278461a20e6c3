package org.openhall.api.device;

import java.time.Instant;
import java.util.Objects;

/**
 * A device's status with its cause.
 *
 * @param deviceId the device's configured id
 * @param status   ONLINE, OFFLINE or FAULT
 * @param detail   a stable, machine-readable code such as {@code NONE}, {@code PAPER_NEAR_END},
 *                 {@code PAPER_OUT}, {@code COVER_OPEN}, {@code CUTTER_ERROR}, {@code NO_PORT},
 *                 {@code NO_ANSWER}, {@code PRINTER_OFFLINE}
 * @param text     a human-readable explanation for logs and consoles
 * @param since    when the device entered this status and detail
 */
public record DeviceState(String deviceId, DeviceStatus status, String detail, String text, Instant since) {

    /** Detail code of a status without anything to add. */
    public static final String NONE = "NONE";

    public DeviceState {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(status, "status");
        detail = detail == null ? NONE : detail;
        text = text == null ? "" : text;
        Objects.requireNonNull(since, "since");
    }

    /** Whether status and detail are the same (the time and text are not compared). */
    public boolean sameAs(DeviceState other) {
        return other != null && status == other.status && detail.equals(other.detail);
    }
}
