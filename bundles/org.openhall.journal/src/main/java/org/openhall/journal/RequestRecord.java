package org.openhall.journal;

import java.util.Arrays;
import java.util.Objects;

/**
 * The record of a request, appended in the same atomic unit as the request's entries, so that a
 * client that retries with the same request id can be given the same answer (idempotency).
 *
 * <p>{@link Journal#append} copies the result, so the caller may reuse the array afterwards.
 * {@code equals} and {@code hashCode} compare the result's contents.
 *
 * @param requestId   the client's request id, unique per operation, not blank
 * @param fingerprint the caller's description of the operation (for example a hash of its
 *                    parameters), used to detect a request id reused for a different operation;
 *                    not {@code null}
 * @param result      the opaque result to give a retrying client, or {@code null}
 */
public record RequestRecord(String requestId, String fingerprint, byte[] result) {

    /**
     * Checks the arguments.
     *
     * @param requestId the request id, not blank
     * @param fingerprint the caller's description of the operation
     * @param result the opaque result, or {@code null}
     */
    public RequestRecord {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (requestId.isBlank()) {
            throw new IllegalArgumentException("request id must not be blank");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestRecord r && requestId.equals(r.requestId)
                && fingerprint.equals(r.fingerprint) && Arrays.equals(result, r.result);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, fingerprint, Arrays.hashCode(result));
    }

    @Override
    public String toString() {
        return "RequestRecord[requestId=" + requestId + ", fingerprint=" + fingerprint + ", result="
                + (result == null ? "null" : result.length + " bytes") + "]";
    }
}
