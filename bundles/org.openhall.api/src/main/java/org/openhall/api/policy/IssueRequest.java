package org.openhall.api.policy;

import java.time.Instant;

import org.openhall.api.queue.Actor;
import org.openhall.api.queue.PriorityClass;

/**
 * A ticket about to be issued, as an {@link IssueGate} sees it.
 *
 * @param actor           the kiosk, staff member or system issuing it
 * @param categoryId      the category
 * @param priority        the priority class it would get (after the gates ranked higher)
 * @param serviceItemId   the service item chosen, or null
 * @param appointmentCode for a check-in (R10) the booking code, else null
 * @param slotStart       for a check-in the slot's start, else null
 * @param slotEnd         for a check-in the slot's end, else null
 * @since 1.1
 */
public record IssueRequest(Actor actor, String categoryId, PriorityClass priority, String serviceItemId,
        String appointmentCode, Instant slotStart, Instant slotEnd) {

    /** Whether this is a check-in of a booked appointment. */
    public boolean isCheckIn() {
        return appointmentCode != null;
    }

    /** The same request with another priority class. */
    public IssueRequest withPriority(PriorityClass p) {
        return new IssueRequest(actor, categoryId, p, serviceItemId, appointmentCode, slotStart, slotEnd);
    }
}
