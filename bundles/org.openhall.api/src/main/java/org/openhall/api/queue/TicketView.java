package org.openhall.api.queue;

import java.time.Instant;

/**
 * A ticket as it is now. Timestamps are {@code null} until the step happened.
 *
 * @param number              prefix letter of its first category and three digits, e.g. {@code A012} (four in a
 *                            category configured so, e.g. {@code A0012});
 *                            kept through transfers (R9, R20)
 * @param categoryId          the category it waits in or is served for now
 * @param serviceItemId       the service item, when known (from the kiosk or the window), else null
 * @param priority            its priority class
 * @param state               where it is
 * @param issuedAt            when it was issued; also its place in time after a transfer (R9)
 * @param calledAt            the last call (recalls included) at the current step
 * @param calls               calls at the current step, the first call included (R11)
 * @param startedAt           start of the current or last transaction
 * @param finishedAt          end of the last transaction
 * @param windowId            the window that called or serves it, else null
 * @param responsibleWindowId the first window that served it, responsible to the end (R8)
 * @param outcome             the outcome of the last finished transaction, else null
 * @param manual              whether it was entered afterwards by hand (补录, R5/R18)
 */
public record TicketView(String number, String categoryId, String serviceItemId, PriorityClass priority,
        TicketState state, Instant issuedAt, Instant calledAt, int calls, Instant startedAt, Instant finishedAt,
        String windowId, String responsibleWindowId, Outcome outcome, boolean manual) {
}
