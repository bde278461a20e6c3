package org.openhall.mqtt.bridge.internal.payload;

import java.time.Instant;
import java.util.Objects;

import org.openhall.api.device.Device;
import org.openhall.api.device.DeviceDetail;
import org.openhall.api.device.DeviceState;
import org.openhall.api.device.DeviceStatus;

/**
 * A device's health as {@code devices/{id}} publishes it (R5).
 *
 * @param id     device id, e.g. {@code printer-1}
 * @param type   device kind, e.g. {@code ticket-printer}
 * @param window the window it belongs to, or null
 * @param status its status
 * @param detail the detail code ({@link DeviceDetail}), e.g. {@code PAPER_OUT}
 * @param text   the detail's short Chinese text for screens, e.g. "缺纸"
 * @param since  when it entered this status
 */
public record DeviceHealth(String id, String type, String window, DeviceStatus status, String detail, String text,
        Instant since) {

    public DeviceHealth {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(since, "since");
    }

    /** From a state, its device's kind and window (null for none). */
    public static DeviceHealth of(DeviceState state, String kind, String window) {
        return new DeviceHealth(state.deviceId(), kind == null ? "device" : kind, window, state.status(), state.detail(),
                DeviceDetail.text(state.detail()), state.since());
    }

    /** The current health of a registered device. */
    public static DeviceHealth of(Device device) {
        return of(device.state(), device.kind(), device.windowId());
    }
}
