package org.openhall.api.device;

/** Whether a device can be used (like openHAB's thing status, reduced to what a hall needs). */
public enum DeviceStatus {
    /** Connected and working; a warning may be in the detail (e.g. paper near end). */
    ONLINE,
    /** Not reachable: no port, the port vanished, or the device does not answer. */
    OFFLINE,
    /** Reachable but unable to work: paper out, cover open, cutter error … */
    FAULT
}
