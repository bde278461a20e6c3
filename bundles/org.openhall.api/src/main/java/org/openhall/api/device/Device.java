package org.openhall.api.device;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One configured device as the rest of the hall sees it, registered as an OSGi service by its
 * driver for as long as the device is configured (whether or not it is reachable), with the
 * service properties {@value #ID}, {@value #KIND} and, for a device that belongs to a window,
 * {@value #WINDOW}. The MQTT bridge, the console ({@code hall:devices}) and the pages read the
 * current state here, whatever the order in which bundles started; {@link DeviceEvents#DEVICE_STATUS}
 * events announce the changes.
 *
 * <p>Implemented by device drivers (integrators' bundles too): a driver answers every method from
 * memory, without I/O, and never throws.
 */
@ConsumerType
public interface Device {

    /** Service property: the device's configured id (String). */
    String ID = "device.id";
    /** Service property: the kind of device, one of {@link DeviceKinds} or an integrator's own (String). */
    String KIND = "device.kind";
    /** Service property: the window the device belongs to (String), absent for hall devices such as kiosks. */
    String WINDOW = "device.window";

    /** The device's configured id. */
    String id();

    /** The kind of device ({@link DeviceKinds}). */
    String kind();

    /** The window the device belongs to, or null. */
    String windowId();

    /** The current status, detail code and since when. */
    DeviceState state();

    /**
     * Counters for operations people: e.g. {@code bytesIn}, {@code bytesOut}, {@code framesIn},
     * {@code framesOut}, {@code garbled}, {@code errors}, and the driver's own (pages printed, keys
     * pressed …). Empty when there are none.
     */
    Map<String, Long> counters();
}
