package org.openhall.api.queue;

import java.time.Instant;

/**
 * A citizen's rating of one transaction (好差评, R7), linked to the ticket, window, staff, category
 * and service item, never to the citizen.
 *
 * @param ticketNumber  the rated transaction's ticket
 * @param windowId      the window that served it
 * @param staffId       the staff member who served it
 * @param categoryId    its category
 * @param serviceItemId its service item, when known
 * @param level         5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意
 * @param at            when it was recorded
 * @since 1.1
 */
public record Evaluation(String ticketNumber, String windowId, String staffId, String categoryId,
        String serviceItemId, int level, Instant at) {

    public static final int LOWEST = 1;
    public static final int HIGHEST = 5;

    /** 不满意 and 非常不满意 (levels 1 and 2) are bad ratings: they open a follow-up (R7). */
    public boolean isBad() {
        return level <= 2;
    }

    /** 满意 and 非常满意 (levels 4 and 5) count as satisfied in the statistics (R21). */
    public boolean isSatisfied() {
        return level >= 4;
    }
}
