package org.openhall.api.queue;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The queue's past events, read back from the core's journal by sequence number. Registered by
 * the queue core while its journal is open (like {@link HallQueue}).
 *
 * <p>Event Admin delivers events only to those who listen at the time. A consumer that must see
 * every event, such as an MQTT connection that was stopped while the hall ran on, remembers the
 * last {@link QueueEvents#SEQ} it handled and reads what it missed here, then continues with the
 * live events, dropping those it has already seen (by seq). Only durable events are returned.
 *
 * @since 1.1
 */
@ProviderType
public interface QueueHistory {

    /** Most events one call returns. */
    int MAX_PAGE = 10_000;

    /**
     * Events after a sequence number, in order and gap-free as far as the journal still holds them.
     * Retention prunes old days: when {@code afterSeq + 1} is gone, the list starts at the oldest
     * event kept, and the caller sees the jump in {@link QueuedEvent#seq()}.
     *
     * @param afterSeq the last event the caller has; 0 for the beginning
     * @param max      the most events to return, 1..{@value #MAX_PAGE}
     * @return the events; empty when the caller is up to date or the history cannot be read now
     */
    List<QueuedEvent> eventsAfter(long afterSeq, int max);

    /** The newest sequence number assigned; its event is readable here once durable (milliseconds later). */
    long lastSeq();

    /**
     * An event as the core posted it to Event Admin.
     *
     * @param seq        its sequence number
     * @param type       its type, e.g. {@value QueueEvents#TICKET_CALLED}
     * @param properties the same properties as the Event Admin event ({@link QueueEvents})
     */
    record QueuedEvent(long seq, String type, java.util.Map<String, Object> properties) {
        public QueuedEvent {
            properties = java.util.Map.copyOf(properties);
        }
    }
}
