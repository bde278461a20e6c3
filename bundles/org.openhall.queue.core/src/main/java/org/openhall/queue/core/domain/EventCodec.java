package org.openhall.queue.core.domain;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;

import org.openhall.api.queue.QueueEvents;

/**
 * Journal format of {@link DomainEvent}s: the type string ({@link DomainEvent#type()}, one of the
 * {@link QueueEvents} constants) and the event as UTF-8 JSON without a type field. Field names are
 * the record component names and are stable; times are ISO-8601 strings. Reading ignores unknown
 * fields (a newer writer may add some) and maps the type string to the record class itself:
 * nothing in the data chooses a class.
 *
 * <p>Example: {@code ticket.called} →
 * {@code {"actor":{"id":"1001","kind":"STAFF"},"at":"2026-03-02T01:15:00Z","categoryId":"A","number":"A001","priority":"NORMAL","staffId":"1001","windowId":"1"}}
 */
public final class EventCodec {

    private static final Map<String, Class<? extends DomainEvent>> TYPES = Map.ofEntries(
            Map.entry(QueueEvents.TICKET_ISSUED, DomainEvent.TicketIssued.class),
            Map.entry(QueueEvents.TICKET_CALLED, DomainEvent.TicketCalled.class),
            Map.entry(QueueEvents.TICKET_RECALLED, DomainEvent.TicketRecalled.class),
            Map.entry(QueueEvents.SERVICE_STARTED, DomainEvent.ServiceStarted.class),
            Map.entry(QueueEvents.SERVICE_FINISHED, DomainEvent.ServiceFinished.class),
            Map.entry(QueueEvents.TICKET_TRANSFERRED, DomainEvent.TicketTransferred.class),
            Map.entry(QueueEvents.TICKET_NOSHOW, DomainEvent.TicketNoShow.class),
            Map.entry(QueueEvents.TICKET_REACTIVATED, DomainEvent.TicketReactivated.class),
            Map.entry(QueueEvents.WINDOW_OPENED, DomainEvent.WindowOpened.class),
            Map.entry(QueueEvents.WINDOW_PAUSED, DomainEvent.WindowPaused.class),
            Map.entry(QueueEvents.WINDOW_RESUMED, DomainEvent.WindowResumed.class),
            Map.entry(QueueEvents.WINDOW_CLOSED, DomainEvent.WindowClosed.class),
            Map.entry(QueueEvents.CASE_RECORDED, DomainEvent.CaseRecorded.class),
            Map.entry(QueueEvents.DAY_STARTED, DomainEvent.DayStarted.class),
            Map.entry(QueueEvents.EVALUATION_RECORDED, DomainEvent.EvaluationRecorded.class),
            Map.entry(QueueEvents.ALERT_RAISED, DomainEvent.AlertRaised.class),
            Map.entry(QueueEvents.ALERT_CLEARED, DomainEvent.AlertCleared.class),
            Map.entry(QueueEvents.WINDOW_ASSIGNED, DomainEvent.WindowAssigned.class),
            Map.entry(QueueEvents.POLICY_STATE, DomainEvent.PolicyStateChanged.class),
            Map.entry(QueueEvents.HALL_OPENED, DomainEvent.HallPhaseChanged.class),
            Map.entry(QueueEvents.HALL_EXTENDED, DomainEvent.HallPhaseChanged.class),
            Map.entry(QueueEvents.HALL_CLOSED, DomainEvent.HallPhaseChanged.class));

    private EventCodec() {
    }

    /** Every type string {@link #decode} accepts. */
    public static Set<String> types() {
        return TYPES.keySet();
    }

    /** The event's type string, to store next to {@link #encode}'s bytes. */
    public static String type(DomainEvent event) {
        return event.type();
    }

    /** The event as UTF-8 JSON (without its type). */
    public static byte[] encode(DomainEvent event) {
        Objects.requireNonNull(event, "event");
        try {
            return Json.MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + event.type() + " event", e);
        }
    }

    /**
     * Reads an event back.
     *
     * @throws IllegalArgumentException for an unknown type, malformed JSON or a missing required field
     */
    public static DomainEvent decode(String type, byte[] json) {
        Objects.requireNonNull(json, "json");
        Class<? extends DomainEvent> cls = type == null ? null : TYPES.get(type);
        if (cls == null) {
            throw new IllegalArgumentException("unknown event type " + type);
        }
        try {
            DomainEvent event = Json.MAPPER.readValue(json, cls);
            if (event == null) {
                throw new IllegalArgumentException("empty " + type + " event");
            }
            return event;
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("cannot decode " + type + " event: " + e.getMessage(), e);
        }
    }
}
