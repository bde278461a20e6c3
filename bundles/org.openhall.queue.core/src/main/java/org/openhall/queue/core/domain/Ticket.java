package org.openhall.queue.core.domain;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;

import org.openhall.api.queue.Outcome;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.TicketState;
import org.openhall.api.queue.TicketView;

/**
 * A ticket of the current day, mutable, owned by {@link HallState}. Serialized field by field by
 * {@link StateCodec}: field names are the snapshot format. Holds no citizen data (R16).
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
final class Ticket {

    String number;
    /** The category it waits in or is served for now (changes with transfers, R9). */
    String categoryId;
    String serviceItemId;
    PriorityClass priority;
    TicketState state;
    /** Issue time: its place in time, kept through transfers (R9, R20). */
    Instant issuedAt;
    /** Hall-wide issue order, assigned when applied; the tie-breaker of its place. */
    long issueSeq;
    /** Sort key in the calling order: issuedAt/issueSeq, or the place given at re-activation (R11). */
    Instant placeTime;
    long placeSeq;
    /** When it started waiting at its current step (issue, transfer or re-activation). */
    Instant waitingSince;
    /** Last call at the current step. */
    Instant calledAt;
    /** First call at the current step: set once per step, gives the waiting-time sample (R21). */
    Instant stepCalledAt;
    int calls;
    Instant startedAt;
    Instant finishedAt;
    /** The window that called or serves it now. */
    String windowId;
    /** The first window that started serving it (R8). */
    String responsibleWindowId;
    /** After a targeted transfer: the only window that may call it (R9). */
    String targetWindowId;
    Outcome outcome;
    boolean manual;
    /** A re-activated no-show not called since (R11). */
    boolean reactivated;
    Instant noShowAt;
    /** Predicted waiting time at issue, -1 when unknown. */
    long predictedWaitSeconds = -1;
    /** Whether its first call ever was seen (estimate accuracy is measured once per ticket). */
    boolean firstCallSeen;

    Ticket() {
    }

    boolean isPriority() {
        return priority != PriorityClass.NORMAL;
    }

    /** 0 for green-channel and appointment tickets, 1 for normal ones (R1, R10). */
    int rank() {
        return isPriority() ? 0 : 1;
    }

    TicketView view() {
        return new TicketView(number, categoryId, serviceItemId, priority, state, issuedAt, calledAt, calls, startedAt,
                finishedAt, windowId, responsibleWindowId, outcome, manual);
    }
}
