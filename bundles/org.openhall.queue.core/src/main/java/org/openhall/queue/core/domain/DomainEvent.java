package org.openhall.queue.core.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.openhall.api.queue.Actor;
import org.openhall.api.queue.HallPhase;
import org.openhall.api.queue.Outcome;
import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.QueueEvents;

/**
 * A state change that happened: the unit the engine journals, replays and posts.
 *
 * <p>Each event carries everything {@link HallState#apply} needs: the time ({@link #at()}), the
 * actor, ticket numbers, window ids, the signed-in staff id, and every value that was derived
 * from the configuration when the event was decided (the predicted waiting time, the place of a
 * re-activated ticket, the service item's time limit, the statistics retention). Applying an event
 * never reads the configuration, so a replay gives the same state even after the configuration
 * changed.
 *
 * <p>{@link #type()} is one of the {@link QueueEvents} type constants; one operation may produce
 * several events (a finish with outcome {@link Outcome#TRANSFERRED} produces
 * {@code service.finished} then {@code ticket.transferred}). {@link #properties()} gives the Event
 * Admin properties of the event as {@link QueueEvents} names them, without {@link QueueEvents#SEQ},
 * {@link QueueEvents#HALL} and {@link QueueEvents#REQUEST_ID}, which only the engine knows.
 *
 * <p>Record component names are the JSON field names of {@link EventCodec}: renaming one is a
 * journal format change. No event carries a citizen's name, ID number or phone number (R16), nor a
 * credential (R17).
 */
public sealed interface DomainEvent {

    /** When it happened (the engine's clock when it was decided). */
    Instant at();

    /** Who did it (R17). */
    Actor actor();

    /** One of the {@link QueueEvents} type constants. */
    String type();

    /** The Event Admin properties ({@link QueueEvents} names); absent ones are left out. */
    Map<String, Object> properties();

    /**
     * A ticket was issued at a kiosk or checked in with an appointment (R1, R10).
     *
     * @param number               the new number, e.g. {@code A001}
     * @param serviceItemId        the service item chosen at the kiosk, or null
     * @param appointmentCode      the booking code of a check-in (not a citizen's identity), else null
     * @param peopleAhead          tickets that would be called before it, at issue
     * @param predictedWaitSeconds the waiting time predicted at issue, -1 when no window was open
     */
    record TicketIssued(Instant at, Actor actor, String number, String categoryId, String serviceItemId,
            PriorityClass priority, String appointmentCode, int peopleAhead, long predictedWaitSeconds)
            implements DomainEvent {
        public TicketIssued {
            check(at, actor);
            Objects.requireNonNull(number, "number");
            Objects.requireNonNull(categoryId, "categoryId");
            Objects.requireNonNull(priority, "priority");
        }

        @Override
        public String type() {
            return QueueEvents.TICKET_ISSUED;
        }

        @Override
        public Map<String, Object> properties() {
            return new EventProps(this).put(QueueEvents.TICKET, number).put(QueueEvents.CATEGORY, categoryId)
                    .put(QueueEvents.PRIORITY, priority).put(QueueEvents.SERVICE_ITEM, serviceItemId).map();
        }
    }

    /** A window called a waiting ticket (R14); its first call at the current step. */
    record TicketCalled(Instant at, Actor actor, String number, String categoryId, PriorityClass priority,
            String windowId, String staffId) implements DomainEvent {
        public TicketCalled {
            check(at, actor);
            Objects.requireNonNull(number, "number");
            Objects.requireNonNull(windowId, "windowId");
        }

        @Override
        public String type() {
            return QueueEvents.TICKET_CALLED;
        }

        @Override
        public Map<String, Object> properties() {
            return new EventProps(this).put(QueueEvents.TICKET, number).put(QueueEvents.CATEGORY, categoryId)
                    .put(QueueEvents.PRIORITY, priority).put(QueueEvents.WINDOW, windowId)
                    .put(QueueEvents.STAFF, staffId).put(QueueEvents.CALLS, 1).map();
        }
    }

    /** The window called its ticket again (R11, R14); {@code calls} is the count after this call. */
    record TicketRecalled(Instant at, Actor actor, String number, String categoryId, String windowId, String staffId,
            int calls) implements DomainEvent {
        public TicketRecalled {
            check(at, actor);
            Objects.requireNonNull(number, "number");
            Objects.requireNonNull(windowId, "windowId");
        }

        @Override
        public String type() {
            return QueueEvents.TICKET_RECALLED;
        }

        @Override
        public Map<String, Object> properties() {
            return new EventProps(this).put(QueueEvents.TICKET, number).put(QueueEvents.CATEGORY, categoryId)
                    .put(QueueEvents.WINDOW, windowId).put(QueueEvents.STAFF, staffId)
                    .put(QueueEvents.CALLS, calls).map();
        }
    }

    /** The called citizen arrived and the transaction started. */
    record ServiceStarted(Instant at, Actor actor, String number, String categoryId, String windowId, String staffId,
            String serviceItemId) implements DomainEvent {
        public ServiceStarted {
            check(at, actor);
            Objects.requireNonNull(number, "number");
            Objects.requireNonNull(windowId, "windowId");
        }

        @Override
        public String type() {
            return QueueEvents.SERVICE_STARTED;
        }

        @Override
        public Map<String, Object> properties() {
            return new EventProps(this).put(QueueEvents.TICKET, number).put(QueueEvents.CATEGORY, categoryId)
                    .put(QueueEvents.WINDOW, windowId).put(QueueEvents.STAFF, staffId)
                    .put(QueueEvents.SERVICE_ITEM, serviceItemId).map();
        }
    }

    /**
     * A transaction ended with an outcome (R8). For {@link Outcome#TRANSFERRED} a
     * {@link TicketTransferred} follows in the same operation.
     *
     * @param startedAt        start of the transaction (handling time = at − startedAt, R21)
     * @param timeLimitSeconds the service item's committed time (R6) when the item was known, else null
     */
    record ServiceFinished(Instant at, Actor actor, String number, String categoryId, String windowId, String staffId,
            String serviceItemId, Outcome outcome, List<String> missingMaterials, String reason, String legalBasis,
            Instant startedAt, Long timeLimitSeconds) implements DomainEvent {
        public ServiceFinished {
            check(at, actor);
            Objects.requireNonNull(number, "number");
            Objects.requireNonNull(windowId, "windowId");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(startedAt, "startedAt");
            missingMaterials = missingMaterials == null ? List.of() : List.copyOf(missingMaterials);
        }

        @Override
        public String type() {
            return QueueEvents.SERVICE_FINISHED;
        }

        @Override
        public Map<String, Object> properties() {
            return new EventProps(this).put(QueueEvents.TICKET, number).put(QueueEvents.CATEGORY, categoryId)
                    .put(QueueEvents.WINDOW, windowId).put(QueueEvents.STAFF, staffId)
                    .put(QueueEvents.SERVICE_ITEM, serviceItemId).put(QueueEvents.OUTCOME, outcome)
                    .put(QueueEvents.MISSING_MATERIALS,
                            missingMaterials.isEmpty() ? null : missingMaterials.toArray(new String[0]))
                    .put(QueueEvents.REASON, reason).put(QueueEvents.LEGAL_BASIS, legalBasis).map();
        }
    }

    /**
     * A ticket went to another category or window (R9, R20): it waits again with its number and its
     * place in time.
     *
     * @param fromCategoryId the category it leaves
     * @param fromWindowId   the window that transferred it
     * @param staffId        the staff signed in at that window
     * @param categoryId     the category it waits in now
     * @param windowId       the only window that may call it, or null for any
     */
    record TicketTransferred(Instant at, Actor actor, String number, String fromCategoryId, String fromWindowId,
            String staffId, String categoryId, String windowId) implements DomainEvent {
        public TicketTransferred {
            check(at, actor);
            Objects.requireNonNull(number, "number");
            Objects.requireNonNull(categoryId, "categoryId");
        }

        @Override
        public String type() {
            return QueueEvents.TICKET_TRANSFERRED;
        }

        @Override
        public Map<String, Object> properties() {
            return new EventProps(this).put(QueueEvents.TICKET, number).put(QueueEvents.CATEGORY, categoryId)
                    .put(QueueEvents.FROM_CATEGORY, fromCategoryId).put(QueueEvents.WINDOW, windowId)
                    .put(QueueEvents.FROM_WINDOW, fromWindowId).put(QueueEvents.STAFF, staffId).map();
        }
    }

    /** The called ticket did not come (R11); {@code calls} made at this step. */
    record TicketNoShow(Instant at, Actor actor, String number, String categoryId, String windowId, String staffId,
            int calls) implements DomainEvent {
        public TicketNoShow {
            check(at, actor);
            Objects.requireNonNull(number, "number");
        }

        @Override
        public String type() {
            return QueueEvents.TICKET_NOSHOW;
        }

        @Override
        public Map<String, Object> properties() {
            return new EventProps(this).put(QueueEvents.TICKET, number).put(QueueEvents.CATEGORY, categoryId)
                    .put(QueueEvents.WINDOW, windowId).put(QueueEvents.STAFF, staffId)
                    .put(QueueEvents.CALLS, calls).map();
        }
    }

    /**
     * A no-show ticket is back in line (R11), behind {@code placesAhead} tickets of its category.
     * {@code placeTime} and {@code placeSeq} are its sort key in the calling order, computed when
     * the event was decided.
     */
    record TicketReactivated(Instant at, Actor actor, String number, String categoryId, Instant placeTime,
            long placeSeq, int placesAhead) implements DomainEvent {
        public TicketReactivated {
            check(at, actor);
            Objects.requireNonNull(number, "number");
            Objects.requireNonNull(placeTime, "placeTime");
        }

        @Override
        public String type() {
            return QueueEvents.TICKET_REACTIVATED;
        }

        @Override
        public Map<String, Object> properties() {
            return new EventProps(this).put(QueueEvents.TICKET, number).put(QueueEvents.CATEGORY, categoryId).map();
        }
    }

    /** Staff signed in and the window opened (R12, R17). */
    record WindowOpened(Instant at, Actor actor, String windowId, String staffId) implements DomainEvent {
        public WindowOpened {
            check(at, actor);
            Objects.requireNonNull(windowId, "windowId");
            Objects.requireNonNull(staffId, "staffId");
        }

        @Override
        public String type() {
            return QueueEvents.WINDOW_OPENED;
        }

        @Override
        public Map<String, Object> properties() {
            return new EventProps(this).put(QueueEvents.WINDOW, windowId).put(QueueEvents.STAFF, staffId).map();
        }
    }

    /**
     * The window paused (R4). {@code returnedTicket} is the called ticket a suspension sent back to
     * the queue, else null; it is the {@link QueueEvents#TICKET} property of the event.
     */
    record WindowPaused(Instant at, Actor actor, String windowId, String staffId, PauseKind kind, String reason,
            String returnedTicket) implements DomainEvent {
        public WindowPaused {
            check(at, actor);
            Objects.requireNonNull(windowId, "windowId");
            Objects.requireNonNull(kind, "kind");
        }

        @Override
        public String type() {
            return QueueEvents.WINDOW_PAUSED;
        }

        @Override
        public Map<String, Object> properties() {
            return new EventProps(this).put(QueueEvents.WINDOW, windowId).put(QueueEvents.STAFF, staffId)
                    .put(QueueEvents.PAUSE_KIND, kind).put(QueueEvents.REASON, reason)
                    .put(QueueEvents.TICKET, returnedTicket).map();
        }
    }

    /** The window resumed the state it paused in (R4). */
    record WindowResumed(Instant at, Actor actor, String windowId, String staffId) implements DomainEvent {
        public WindowResumed {
            check(at, actor);
            Objects.requireNonNull(windowId, "windowId");
        }

        @Override
        public String type() {
            return QueueEvents.WINDOW_RESUMED;
        }

        @Override
        public Map<String, Object> properties() {
            return new EventProps(this).put(QueueEvents.WINDOW, windowId).put(QueueEvents.STAFF, staffId).map();
        }
    }

    /** The window closed and its staff signed off. */
    record WindowClosed(Instant at, Actor actor, String windowId, String staffId) implements DomainEvent {
        public WindowClosed {
            check(at, actor);
            Objects.requireNonNull(windowId, "windowId");
        }

        @Override
        public String type() {
            return QueueEvents.WINDOW_CLOSED;
        }

        @Override
        public Map<String, Object> properties() {
            return new EventProps(this).put(QueueEvents.WINDOW, windowId).put(QueueEvents.STAFF, staffId).map();
        }
    }

    /**
     * A case handled by hand was entered afterwards (补录, R5, R18): a finished, manual ticket.
     * Waiting time = startedAt − arrivedAt, handling time = finishedAt − startedAt (R21).
     */
    record CaseRecorded(Instant at, Actor actor, String number, String categoryId, String serviceItemId,
            String windowId, String staffId, Instant arrivedAt, Instant startedAt, Instant finishedAt, Outcome outcome,
            List<String> missingMaterials, String reason, String legalBasis, Long timeLimitSeconds)
            implements DomainEvent {
        public CaseRecorded {
            check(at, actor);
            Objects.requireNonNull(number, "number");
            Objects.requireNonNull(categoryId, "categoryId");
            Objects.requireNonNull(windowId, "windowId");
            Objects.requireNonNull(arrivedAt, "arrivedAt");
            Objects.requireNonNull(startedAt, "startedAt");
            Objects.requireNonNull(finishedAt, "finishedAt");
            Objects.requireNonNull(outcome, "outcome");
            missingMaterials = missingMaterials == null ? List.of() : List.copyOf(missingMaterials);
        }

        @Override
        public String type() {
            return QueueEvents.CASE_RECORDED;
        }

        @Override
        public Map<String, Object> properties() {
            return new EventProps(this).put(QueueEvents.TICKET, number).put(QueueEvents.CATEGORY, categoryId)
                    .put(QueueEvents.WINDOW, windowId).put(QueueEvents.STAFF, staffId)
                    .put(QueueEvents.SERVICE_ITEM, serviceItemId).put(QueueEvents.OUTCOME, outcome)
                    .put(QueueEvents.MISSING_MATERIALS,
                            missingMaterials.isEmpty() ? null : missingMaterials.toArray(new String[0]))
                    .put(QueueEvents.REASON, reason).put(QueueEvents.LEGAL_BASIS, legalBasis).map();
        }
    }

    /**
     * A new business day (R13). The tickets in {@code unfinishedTickets} (still waiting, called or
     * in service) are closed and counted as no-shows of {@code previousDay}; that day's statistics
     * are frozen, and frozen days before {@code keepStatisticsFrom} are dropped.
     */
    record DayStarted(Instant at, Actor actor, LocalDate day, LocalDate previousDay, List<String> unfinishedTickets,
            LocalDate keepStatisticsFrom) implements DomainEvent {
        public DayStarted {
            check(at, actor);
            Objects.requireNonNull(day, "day");
            Objects.requireNonNull(previousDay, "previousDay");
            Objects.requireNonNull(keepStatisticsFrom, "keepStatisticsFrom");
            unfinishedTickets = unfinishedTickets == null ? List.of() : List.copyOf(unfinishedTickets);
        }

        @Override
        public String type() {
            return QueueEvents.DAY_STARTED;
        }

        @Override
        public Map<String, Object> properties() {
            return new EventProps(this).put(QueueEvents.DAY, day.toString()).map();
        }
    }

    /** A citizen rated the transaction a window finished last (R7). */
    record EvaluationRecorded(Instant at, Actor actor, String number, String categoryId, String serviceItemId,
            String windowId, String staffId, int level) implements DomainEvent {
        public EvaluationRecorded {
            check(at, actor);
            Objects.requireNonNull(number, "number");
            Objects.requireNonNull(windowId, "windowId");
        }

        @Override
        public String type() {
            return QueueEvents.EVALUATION_RECORDED;
        }

        @Override
        public Map<String, Object> properties() {
            return new EventProps(this).put(QueueEvents.TICKET, number).put(QueueEvents.CATEGORY, categoryId)
                    .put(QueueEvents.SERVICE_ITEM, serviceItemId).put(QueueEvents.WINDOW, windowId)
                    .put(QueueEvents.STAFF, staffId).put(QueueEvents.LEVEL, level).map();
        }
    }

    /** An alert was raised or replaced. */
    record AlertRaised(Instant at, Actor actor, String alertId, String kind, String categoryId, String windowId,
            String text) implements DomainEvent {
        public AlertRaised {
            check(at, actor);
            Objects.requireNonNull(alertId, "alertId");
            Objects.requireNonNull(kind, "kind");
        }

        @Override
        public String type() {
            return QueueEvents.ALERT_RAISED;
        }

        @Override
        public Map<String, Object> properties() {
            return new EventProps(this).put(QueueEvents.ALERT_ID, alertId).put(QueueEvents.ALERT_KIND, kind)
                    .put(QueueEvents.CATEGORY, categoryId).put(QueueEvents.WINDOW, windowId)
                    .put(QueueEvents.TEXT, text).map();
        }
    }

    /** An active alert was cleared; {@code kind} and the ids repeat the alert's. */
    record AlertCleared(Instant at, Actor actor, String alertId, String kind, String categoryId, String windowId)
            implements DomainEvent {
        public AlertCleared {
            check(at, actor);
            Objects.requireNonNull(alertId, "alertId");
        }

        @Override
        public String type() {
            return QueueEvents.ALERT_CLEARED;
        }

        @Override
        public Map<String, Object> properties() {
            return new EventProps(this).put(QueueEvents.ALERT_ID, alertId).put(QueueEvents.ALERT_KIND, kind)
                    .put(QueueEvents.CATEGORY, categoryId).put(QueueEvents.WINDOW, windowId).map();
        }
    }

    /** Categories assigned to a window on top of its configured ones (empty: taken back), R2. */
    record WindowAssigned(Instant at, Actor actor, String windowId, List<String> categoryIds) implements DomainEvent {
        public WindowAssigned {
            check(at, actor);
            Objects.requireNonNull(windowId, "windowId");
            categoryIds = categoryIds == null ? List.of() : List.copyOf(categoryIds);
        }

        @Override
        public String type() {
            return QueueEvents.WINDOW_ASSIGNED;
        }

        @Override
        public Map<String, Object> properties() {
            return new EventProps(this).put(QueueEvents.WINDOW, windowId)
                    .put(QueueEvents.CATEGORIES, categoryIds.toArray(new String[0])).map();
        }
    }

    /** A policy stored ({@code value} not null) or removed a value of its durable state. */
    record PolicyStateChanged(Instant at, Actor actor, String policyId, String key, String value)
            implements DomainEvent {
        public PolicyStateChanged {
            check(at, actor);
            Objects.requireNonNull(policyId, "policyId");
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String type() {
            return QueueEvents.POLICY_STATE;
        }

        @Override
        public Map<String, Object> properties() {
            return new EventProps(this).put(QueueEvents.POLICY, policyId).put(QueueEvents.KEY, key)
                    .put(QueueEvents.VALUE, value).map();
        }
    }

    /** The hall's phase changed (R3, R13); the type is hall.opened, hall.extended or hall.closed. */
    record HallPhaseChanged(Instant at, Actor actor, HallPhase phase) implements DomainEvent {
        public HallPhaseChanged {
            check(at, actor);
            Objects.requireNonNull(phase, "phase");
        }

        @Override
        public String type() {
            return phase.eventType();
        }

        @Override
        public Map<String, Object> properties() {
            return new EventProps(this).put(QueueEvents.PHASE, phase).map();
        }
    }

    private static void check(Instant at, Actor actor) {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
    }
}
