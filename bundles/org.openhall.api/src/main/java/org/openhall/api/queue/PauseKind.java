package org.openhall.api.queue;

/** The two kinds of pause a window display shows (R4). */
public enum PauseKind {
    /** "对不起,请稍候": a short break, the window keeps its current ticket. */
    BRIEF,
    /** "此窗口暂停服务": suspended with a reason; its waiting citizens go to other windows. */
    SUSPENDED
}
