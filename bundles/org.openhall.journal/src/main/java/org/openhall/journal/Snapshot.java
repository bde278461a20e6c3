package org.openhall.journal;

import java.util.Arrays;
import java.util.Objects;

/**
 * A snapshot of the caller's state as of a sequence number: replaying the entries after
 * {@code seq} on top of {@code state} gives the current state.
 *
 * <p>{@code equals} and {@code hashCode} compare the state's contents.
 *
 * @param seq        the sequence number the state includes (0: before the first entry)
 * @param timeMillis the caller's time stamp
 * @param state      the opaque state
 */
public record Snapshot(long seq, long timeMillis, byte[] state) {

    /**
     * Checks the arguments.
     *
     * @param seq the sequence number the state includes
     * @param timeMillis the caller's time stamp
     * @param state the opaque state
     */
    public Snapshot {
        Objects.requireNonNull(state, "state");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Snapshot s && seq == s.seq && timeMillis == s.timeMillis && Arrays.equals(state, s.state);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seq, timeMillis, Arrays.hashCode(state));
    }

    @Override
    public String toString() {
        return "Snapshot[seq=" + seq + ", timeMillis=" + timeMillis + ", state=" + state.length + " bytes]";
    }
}
