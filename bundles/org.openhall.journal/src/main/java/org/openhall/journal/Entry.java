package org.openhall.journal;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry to append: a type name chosen by the caller, the caller's time stamp and an opaque
 * payload (the queue core stores UTF-8 JSON; the journal never looks inside).
 *
 * <p>{@link Journal#append} copies the payload, so the caller may reuse the array afterwards.
 * {@code equals} and {@code hashCode} compare the payload's contents.
 *
 * @param type       the entry's type, not blank (for example {@code "ticket.issued"})
 * @param timeMillis the caller's time stamp, in milliseconds since the epoch
 * @param payload    the opaque payload, may be empty but not {@code null}
 */
public record Entry(String type, long timeMillis, byte[] payload) {

    /**
     * Checks the arguments.
     *
     * @param type the entry's type, not blank
     * @param timeMillis the caller's time stamp
     * @param payload the opaque payload, not {@code null}
     */
    public Entry {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        if (type.isBlank()) {
            throw new IllegalArgumentException("entry type must not be blank");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && timeMillis == e.timeMillis && type.equals(e.type)
                && Arrays.equals(payload, e.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, timeMillis, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "Entry[type=" + type + ", timeMillis=" + timeMillis + ", payload=" + payload.length + " bytes]";
    }
}
