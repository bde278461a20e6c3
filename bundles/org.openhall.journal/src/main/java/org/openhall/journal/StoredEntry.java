package org.openhall.journal;

import java.util.Arrays;
import java.util.Objects;

/**
 * An entry as the journal stored it: what the caller appended plus its sequence number and the
 * request id of the unit it was appended with.
 *
 * <p>The payload array is shared with other readers of the same commit (for example every
 * {@link JournalOptions#onCommitted()} listener call): do not modify it. {@code equals} and
 * {@code hashCode} compare the payload's contents.
 *
 * @param seq        the sequence number, 1 for the first entry ever appended; consecutive
 * @param type       the entry's type
 * @param timeMillis the caller's time stamp
 * @param requestId  the request id of the {@link RequestRecord} appended with the same unit, or
 *                   {@code null} if the unit had none
 * @param payload    the opaque payload
 */
public record StoredEntry(long seq, String type, long timeMillis, String requestId, byte[] payload) {

    /**
     * Checks the arguments.
     *
     * @param seq the sequence number
     * @param type the entry's type
     * @param timeMillis the caller's time stamp
     * @param requestId the unit's request id, or {@code null}
     * @param payload the opaque payload
     */
    public StoredEntry {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredEntry e && seq == e.seq && timeMillis == e.timeMillis
                && type.equals(e.type) && Objects.equals(requestId, e.requestId)
                && Arrays.equals(payload, e.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seq, type, timeMillis, requestId, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "StoredEntry[seq=" + seq + ", type=" + type + ", timeMillis=" + timeMillis
                + ", requestId=" + requestId + ", payload=" + payload.length + " bytes]";
    }
}
