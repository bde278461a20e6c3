package org.openhall.api.device;

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

    /** The Event Admin topic of an event type. */
    public static String topic(String type) {
        return TOPIC_ROOT + type.replace('.', '/');
    }
}
