package org.openhall.api.queue;

import java.time.Instant;

/**
 * A transaction handled by hand while the system or a kiosk was down, entered afterwards so the
 * statistics stay complete (补录, R5, R18). It gets a ticket number of the day, marked manual.
 *
 * @param categoryId    its category
 * @param serviceItemId the service item, or null
 * @param windowId      the window that handled it
 * @param staffId       the staff member who handled it
 * @param arrivedAt     when the citizen arrived (the waiting time starts here)
 * @param startedAt     start of the transaction
 * @param finishedAt    end of the transaction
 * @param finish        its outcome (a transfer is not allowed here)
 */
public record ManualCase(String categoryId, String serviceItemId, String windowId, String staffId,
        Instant arrivedAt, Instant startedAt, Instant finishedAt, Finish finish) {
}
