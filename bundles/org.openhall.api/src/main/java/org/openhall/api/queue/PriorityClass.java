package org.openhall.api.queue;

/** Why a ticket may be called before others (R1, R10). */
public enum PriorityClass {
    /** An ordinary walk-in ticket. */
    NORMAL,
    /** Green channel (绿色通道): elderly, weak, sick, disabled, pregnant, military, emergencies (R1). */
    GREEN_CHANNEL,
    /** A checked-in appointment within its time slot (R10). */
    APPOINTMENT
}
