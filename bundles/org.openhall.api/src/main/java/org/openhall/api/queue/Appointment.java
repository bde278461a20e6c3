package org.openhall.api.queue;

import java.time.Instant;

/**
 * A booked appointment presented at the kiosk (R10). The booking system knows the slot; the kiosk
 * passes it on. Within the slot the ticket is called before walk-ins; a late arrival gets an
 * ordinary ticket.
 *
 * @param code       the booking code (not a citizen's identity)
 * @param categoryId the category booked
 * @param slotStart  start of the booked slot
 * @param slotEnd    end of the booked slot
 */
public record Appointment(String code, String categoryId, Instant slotStart, Instant slotEnd) {
}
