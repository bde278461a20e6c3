package org.openhall.journal;

import java.util.Arrays;
import java.util.Objects;

/**
 * A request record as the journal stored it.
 *
 * <p>{@code equals} and {@code hashCode} compare the result's contents.
 *
 * @param requestId        the request id
 * @param fingerprint      the caller's description of the operation
 * @param firstSeq         the sequence number of the unit's first entry, 0 if the unit had no
 *                         entries (a refused operation)
 * @param lastSeq          the sequence number of the unit's last entry, 0 if the unit had none
 * @param recordedAtMillis the wall-clock time at which {@link Journal#append} accepted the unit
 * @param result           the opaque result, or {@code null}
 */
public record StoredRequest(String requestId, String fingerprint, long firstSeq, long lastSeq,
        long recordedAtMillis, byte[] result) {

    /**
     * Checks the arguments.
     *
     * @param requestId the request id
     * @param fingerprint the caller's description of the operation
     * @param firstSeq the unit's first seq, 0 without entries
     * @param lastSeq the unit's last seq, 0 without entries
     * @param recordedAtMillis when the unit was appended
     * @param result the opaque result, or {@code null}
     */
    public StoredRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /** @return whether the unit that recorded this request had no entries */
    public boolean hasNoEntries() {
        return firstSeq == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredRequest r && firstSeq == r.firstSeq && lastSeq == r.lastSeq
                && recordedAtMillis == r.recordedAtMillis && requestId.equals(r.requestId)
                && fingerprint.equals(r.fingerprint) && Arrays.equals(result, r.result);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, fingerprint, firstSeq, lastSeq, recordedAtMillis, Arrays.hashCode(result));
    }

    @Override
    public String toString() {
        return "StoredRequest[requestId=" + requestId + ", fingerprint=" + fingerprint + ", firstSeq=" + firstSeq
                + ", lastSeq=" + lastSeq + ", recordedAtMillis=" + recordedAtMillis + ", result="
                + (result == null ? "null" : result.length + " bytes") + "]";
    }
}
