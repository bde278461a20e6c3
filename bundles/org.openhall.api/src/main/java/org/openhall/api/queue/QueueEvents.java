package org.openhall.api.queue;

/**
 * The Event Admin events the queue core posts, one per state change, after the change is durable.
 *
 * <p>Topic: {@value #TOPIC_PREFIX} followed by the type with dots replaced by slashes, e.g.
 * {@code org/openhall/queue/ticket/called}; subscribe to {@value #TOPIC_ALL} for all of them.
 * Every event carries {@link #SEQ}: a hall-wide sequence number that is persisted, strictly
 * increasing and gap-free across restarts, so a consumer can detect loss and duplicates. Events
 * are posted (asynchronously) in sequence order.
 */
public final class QueueEvents {

    private QueueEvents() {
    }

    public static final String TOPIC_PREFIX = "org/openhall/queue/";
    public static final String TOPIC_ALL = "org/openhall/queue/*";

    // Event types: the same names are used in the MQTT contract (events/{type}).
    public static final String TICKET_ISSUED = "ticket.issued";
    public static final String TICKET_CALLED = "ticket.called";
    public static final String TICKET_RECALLED = "ticket.recalled";
    public static final String SERVICE_STARTED = "service.started";
    public static final String SERVICE_FINISHED = "service.finished";
    public static final String TICKET_TRANSFERRED = "ticket.transferred";
    public static final String TICKET_NOSHOW = "ticket.noshow";
    public static final String TICKET_REACTIVATED = "ticket.reactivated";
    public static final String WINDOW_OPENED = "window.opened";
    public static final String WINDOW_PAUSED = "window.paused";
    public static final String WINDOW_RESUMED = "window.resumed";
    public static final String WINDOW_CLOSED = "window.closed";
    public static final String CASE_RECORDED = "case.recorded";
    public static final String DAY_STARTED = "day.started";
    /** @since 1.1 A citizen rated a transaction (R7). */
    public static final String EVALUATION_RECORDED = "evaluation.recorded";
    /** @since 1.1 A policy raised (or replaced) an alert. */
    public static final String ALERT_RAISED = "alert.raised";
    /** @since 1.1 An alert was cleared. */
    public static final String ALERT_CLEARED = "alert.cleared";
    /** @since 1.1 The hall opened (R13). */
    public static final String HALL_OPENED = "hall.opened";
    /** @since 1.1 Past the cut-off, tickets issued before it are still served (R3). */
    public static final String HALL_EXTENDED = "hall.extended";
    /** @since 1.1 The hall closed. */
    public static final String HALL_CLOSED = "hall.closed";
    /** @since 1.1 Categories were assigned to a window for now, or taken back (tidal window, R2). */
    public static final String WINDOW_ASSIGNED = "window.assigned";
    /** @since 1.1 A policy stored or removed a value of its durable state. */
    public static final String POLICY_STATE = "policy.state";

    // Properties. Absent when they do not apply.
    /** Long: the hall-wide sequence number. */
    public static final String SEQ = "seq";
    /** Long: epoch milliseconds of the change. */
    public static final String TIME = "time";
    /** String: the event type, e.g. {@value #TICKET_CALLED}. */
    public static final String TYPE = "type";
    public static final String HALL = "hallId";
    /** String: the ticket number. */
    public static final String TICKET = "ticket";
    public static final String CATEGORY = "category";
    /** String: for a transfer, the category it came from. */
    public static final String FROM_CATEGORY = "fromCategory";
    public static final String WINDOW = "window";
    /** String: for a transfer, the window it came from. */
    public static final String FROM_WINDOW = "fromWindow";
    public static final String STAFF = "staff";
    /** String: a {@link PriorityClass} name. */
    public static final String PRIORITY = "priority";
    /** String: an {@link Outcome} name. */
    public static final String OUTCOME = "outcome";
    /** String[]: missing materials of a {@link Outcome#MATERIALS_INCOMPLETE} outcome. */
    public static final String MISSING_MATERIALS = "missingMaterials";
    public static final String REASON = "reason";
    public static final String LEGAL_BASIS = "legalBasis";
    /** String: a {@link PauseKind} name. */
    public static final String PAUSE_KIND = "pauseKind";
    /** Integer: calls at the current step, for called/recalled. */
    public static final String CALLS = "calls";
    public static final String SERVICE_ITEM = "serviceItem";
    /** String: "STAFF:1001", "DEVICE:kiosk-1", "SYSTEM:rollover". */
    public static final String ACTOR = "actor";
    public static final String REQUEST_ID = "requestId";
    /** String: the business day, ISO-8601, for {@value #DAY_STARTED}. */
    public static final String DAY = "day";
    /** Integer 1..5: the rating of {@value #EVALUATION_RECORDED}. @since 1.1 */
    public static final String LEVEL = "level";
    /** String: the alert's id. @since 1.1 */
    public static final String ALERT_ID = "alertId";
    /** String: the alert's kind, e.g. QUEUE_OVERFLOW. @since 1.1 */
    public static final String ALERT_KIND = "alertKind";
    /** String: the alert's text. @since 1.1 */
    public static final String TEXT = "text";
    /** String: a {@link HallPhase} name, for hall.* events. @since 1.1 */
    public static final String PHASE = "phase";
    /** String[]: the categories assigned by {@value #WINDOW_ASSIGNED}. @since 1.1 */
    public static final String CATEGORIES = "categories";
    /** String: the policy id of {@value #POLICY_STATE}. @since 1.1 */
    public static final String POLICY = "policy";
    /** String: the key of {@value #POLICY_STATE}. @since 1.1 */
    public static final String KEY = "key";
    /** String: the value of {@value #POLICY_STATE}; absent when the key was removed. @since 1.1 */
    public static final String VALUE = "value";

    /** The Event Admin topic of an event type. */
    public static String topic(String type) {
        return TOPIC_PREFIX + type.replace('.', '/');
    }
}
