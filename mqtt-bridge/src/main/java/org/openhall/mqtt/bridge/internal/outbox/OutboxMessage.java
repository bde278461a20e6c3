package org.openhall.mqtt.bridge.internal.outbox;

import java.util.Objects;

/**
 * A message in the outbox.
 *
 * @param id       the outbox's id of it; acknowledge with this id
 * @param kind     what it is (decides coalescing and what is dropped first when full)
 * @param topic    the full MQTT topic
 * @param payload  the bytes to publish
 * @param retained whether to publish it retained
 * @param seq      for an event, its queue sequence number; for a gap, the first lost one; else 0
 * @param seqTo    for a gap, the last lost sequence number; else equal to {@code seq}
 */
public record OutboxMessage(long id, Kind kind, String topic, byte[] payload, boolean retained, long seq, long seqTo) {

    /** Kinds, in the order they are dropped when the outbox is full: stats first, events last. */
    public enum Kind {
        /** {@code stats/…}: coalesced per topic; dropped first. */
        STATS,
        /** Other retained state ({@code status}, {@code categories/…}, …): coalesced per topic. */
        STATE,
        /** A reply to a command. */
        REPLY,
        /** A queue event with its {@code seq}; when dropped, a {@link #GAP} takes its place. */
        EVENT,
        /** Stands for events dropped from the outbox; never dropped itself. */
        GAP
    }

    public OutboxMessage {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
    }

    /** A new message to add (its id is assigned by the outbox). */
    public static OutboxMessage of(Kind kind, String topic, byte[] payload, boolean retained, long seq) {
        if (kind == Kind.GAP) {
            throw new IllegalArgumentException("gaps are made by the outbox");
        }
        if (kind == Kind.EVENT && seq < 1) {
            throw new IllegalArgumentException("an event needs its seq");
        }
        return new OutboxMessage(0, kind, topic, payload, retained, seq, seq);
    }

    /**
     * Stands for the events {@code fromSeq}…{@code toSeq} that can no longer be had (the queue's
     * history was pruned before they were queued); only for {@link Outbox#addEvents}, which gives
     * it the gap topic and payload.
     */
    public static OutboxMessage gap(long fromSeq, long toSeq) {
        if (fromSeq < 1 || toSeq < fromSeq) {
            throw new IllegalArgumentException("bad gap range " + fromSeq + ".." + toSeq);
        }
        return new OutboxMessage(0, Kind.GAP, "", new byte[0], false, fromSeq, toSeq);
    }

    /** Whether only the newest message of its topic is kept. */
    public boolean coalesced() {
        return retained && (kind == Kind.STATE || kind == Kind.STATS);
    }
}
