package org.openhall.api.policy;

import java.time.Instant;

import org.openhall.api.queue.PriorityClass;

/**
 * A ticket waiting to be called.
 *
 * @param number         its number
 * @param categoryId     the category it waits in
 * @param priority       its priority class
 * @param issuedAt       its place in time (kept through transfers, R9)
 * @param waitingSince   when it started waiting in this category
 * @param targetWindowId the window it was transferred to, or null for any window
 * @param reactivated    whether it is a re-activated no-show (R11)
 */
public record WaitingTicket(String number, String categoryId, PriorityClass priority, Instant issuedAt,
        Instant waitingSince, String targetWindowId, boolean reactivated) {
}
