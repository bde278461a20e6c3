package org.openhall.api.queue;

/** How a transaction ended (R8). */
public enum Outcome {
    /** 办结 */
    DONE,
    /** 一次性告知: the missing materials are listed in one go. */
    MATERIALS_INCOMPLETE,
    /** 不予办理, with a reason and its legal basis. */
    REFUSED,
    /** 转办 to another category or window; the ticket keeps its number and place in time (R9). */
    TRANSFERRED
}
