package org.openhall.api.queue;

import java.time.Instant;
import java.util.Objects;

/**
 * Something staff or managers must look at, raised by a policy (a long queue R2, an overrunning
 * transaction R6, an overdue follow-up R7/R15) and shown on screens until it is cleared. Alerts
 * are part of the hall's state: they survive restarts and are in every {@link HallSnapshot}.
 *
 * @param id         stable id chosen by whoever raises it, e.g. {@code overflow:A}; raising the
 *                   same id again replaces it
 * @param kind       what kind, upper case, e.g. {@code QUEUE_OVERFLOW}, {@code TIME_LIMIT}
 * @param categoryId the category it concerns, or null
 * @param windowId   the window it concerns, or null
 * @param text       the text screens show (Chinese, from the policy's configuration or resources);
 *                   never a citizen's personal data (R16)
 * @param raisedAt   when it was raised; set by the core (ignored when raising)
 * @since 1.1
 */
public record Alert(String id, String kind, String categoryId, String windowId, String text, Instant raisedAt) {

    /** Longest id, kind and text accepted. */
    public static final int MAX_ID = 128;
    public static final int MAX_TEXT = 500;

    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        if (id.isBlank() || id.length() > MAX_ID || kind.isBlank() || kind.length() > MAX_ID) {
            throw new IllegalArgumentException("alert id and kind must have 1.." + MAX_ID + " characters");
        }
        if (text != null && text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("alert text longer than " + MAX_TEXT + " characters");
        }
    }

    /** An alert to raise (the core sets the time). */
    public static Alert of(String id, String kind, String categoryId, String windowId, String text) {
        return new Alert(id, kind, categoryId, windowId, text, null);
    }
}
