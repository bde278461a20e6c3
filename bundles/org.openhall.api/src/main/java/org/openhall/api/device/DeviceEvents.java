package org.openhall.api.device;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The Event Admin events device drivers post, in the style of
 * {@link org.openhall.api.queue.QueueEvents}: the topic is {@value #TOPIC_ROOT} followed by the
 * type with dots replaced by slashes, e.g. {@code org/openhall/device/status}; subscribe to
 * {@value #TOPIC_ALL} for all of them. The MQTT bridge forwards status changes to
 * {@code devices/{id}} and {@code events/device.status}, and notices to the hall screens.
 */
public final class DeviceEvents {

    private DeviceEvents() {
    }

    public static final String TOPIC_ROOT = "org/openhall/";
    public static final String TOPIC_ALL = "org/openhall/device/*";

    /** A device's status or detail changed. */
    public static final String DEVICE_STATUS = "device.status";
    /** A notice for the hall screens, e.g. "设备故障,暂停使用" at a kiosk without a printer (R5). */
    public static final String DEVICE_NOTICE = "device.notice";

    /** String: the event type. */
    public static final String TYPE = "type";
    /** Long: epoch milliseconds. */
    public static final String TIME = "time";
    /** String: the device id. */
    public static final String DEVICE = "device";
    /** String: the kind of device, e.g. {@code ticket-printer}, {@code kiosk} (the {@code type} of MQTT {@code devices/{id}}). */
    public static final String KIND = "kind";
    /** String: a {@link DeviceStatus} name. */
    public static final String STATUS = "status";
    /** String: the status detail code. */
    public static final String DETAIL = "detail";
    /** String: the human-readable text of a status or a notice. */
    public static final String TEXT = "text";
    /** Boolean: for a notice, whether it is in force (false withdraws it). */
    public static final String ACTIVE = "active";

    /** String: the window the device belongs to, absent for hall devices (since 1.1). */
    public static final String WINDOW = "window";

    /**
     * The properties of a {@link #DEVICE_STATUS} event for {@code state} (post them with
     * {@code new Event(topic(DEVICE_STATUS), properties)}): {@link #TEXT} is the raw diagnostic of
     * the state, for logs; screens take {@link DeviceDetail#text} of the detail code.
     *
     * @param windowId the window the device belongs to, or null
     */
    public static Map<String, Object> status(DeviceState state, String kind, String windowId) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(TYPE, DEVICE_STATUS);
        p.put(TIME, state.since().toEpochMilli());
        p.put(DEVICE, state.deviceId());
        p.put(KIND, Objects.requireNonNull(kind, "kind"));
        p.put(STATUS, state.status().name());
        p.put(DETAIL, state.detail());
        p.put(TEXT, state.text());
        if (windowId != null) {
            p.put(WINDOW, windowId);
        }
        return p;
    }

    /**
     * The state a {@link #DEVICE_STATUS} event carries, read from its properties (an Event Admin
     * event's, or a map); null when they are not a well-formed status.
     */
    public static DeviceState state(Function<String, Object> property) {
        Object id = property.apply(DEVICE);
        Object status = property.apply(STATUS);
        Object time = property.apply(TIME);
        if (!(id instanceof String) || !(status instanceof String) || !(time instanceof Number)) {
            return null;
        }
        DeviceStatus s;
        try {
            s = DeviceStatus.valueOf((String) status);
        } catch (IllegalArgumentException e) {
            return null;
        }
        Object detail = property.apply(DETAIL);
        Object text = property.apply(TEXT);
        return new DeviceState((String) id, s, detail == null ? null : detail.toString(), text == null ? null : text.toString(),
                Instant.ofEpochMilli(((Number) time).longValue()));
    }

    /**
     * The properties of a {@link #DEVICE_NOTICE} event: a notice for the hall screens about a
     * device (e.g. "设备故障,暂停使用" at a kiosk without a printer, R5), or its withdrawal.
     *
     * @param windowId the window the device belongs to, or null
     * @param active   whether the notice is in force (false withdraws it)
     * @param time     when, epoch milliseconds
     * @since 1.1
     */
    public static Map<String, Object> notice(String deviceId, String kind, String windowId, String text, boolean active,
            long time) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(TYPE, DEVICE_NOTICE);
        p.put(TIME, time);
        p.put(DEVICE, Objects.requireNonNull(deviceId, "deviceId"));
        p.put(KIND, Objects.requireNonNull(kind, "kind"));
        if (windowId != null) {
            p.put(WINDOW, windowId);
        }
        p.put(TEXT, text == null ? "" : text);
        p.put(ACTIVE, active);
        return p;
    }

    /** The Event Admin topic of an event type. */
    public static String topic(String type) {
        return TOPIC_ROOT + type.replace('.', '/');
    }
}
