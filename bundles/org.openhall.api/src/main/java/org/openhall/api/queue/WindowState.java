package org.openhall.api.queue;

/** A window's state; only an open window with signed-in staff calls tickets (R17). */
public enum WindowState {
    CLOSED,
    /** Open, nobody called. */
    IDLE,
    /** A ticket was called and has not started yet. */
    CALLING,
    SERVING,
    /** Briefly ("请稍候") or suspended ("暂停服务"); routing skips it (R4). */
    PAUSED
}
