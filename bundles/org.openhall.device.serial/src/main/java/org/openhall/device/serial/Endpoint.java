package org.openhall.device.serial;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One device's attachment to a {@link DeviceLink}: what a driver sends and receives through.
 * Close it when the driver stops; the link closes with its last endpoint.
 */
public final class Endpoint implements AutoCloseable {

    private final DeviceLink link;
    private final String deviceId;
    private final DeviceLink.Listener listener;
    private final Counters counters = new Counters();

    Endpoint(DeviceLink link, String deviceId, DeviceLink.Listener listener) {
        this.link = link;
        this.deviceId = deviceId;
        this.listener = listener;
    }

    public String deviceId() {
        return deviceId;
    }

    DeviceLink.Listener listener() {
        return listener;
    }

    /** This device's counters. */
    public Counters counters() {
        return counters;
    }

    public DeviceLink link() {
        return link;
    }

    public boolean isUp() {
        return link.isUp();
    }

    /**
     * Sends a frame that has no answer (e.g. a print job).
     *
     * @param timeout how long to wait for other devices' requests on the same link to finish
     */
    public void send(byte[] frame, Duration timeout) throws LinkException {
        link.send(this, frame, timeout);
    }

    /**
     * Sends a request and returns the first {@code answerLength} bytes that come back, retrying
     * up to {@code attempts} times in all when nothing comes within {@code timeout}.
     */
    public byte[] transact(byte[] request, int answerLength, Duration timeout, int attempts) throws LinkException {
        return link.transact(this, request, answerLength, timeout, attempts);
    }

    /**
     * Sends a request and returns its answer, strict about framing (since 1.1): the answer must be
     * exactly {@code answerLength} bytes, with no other byte within {@code quiet} after it, and
     * must pass {@code check} (the protocol's fixed bits, a checksum, the bus address). A garbled
     * answer is counted ({@link Counters#garbled()}), dropped and the request sent again, up to
     * {@code attempts} in all.
     *
     * @throws LinkException {@code GARBLED} when the last attempt was garbled, {@code TIMEOUT}
     *                       when it went unanswered, {@code DOWN}, {@code CLOSED}
     */
    public byte[] transact(byte[] request, int answerLength, Duration timeout, int attempts, Predicate<byte[]> check,
            Duration quiet) throws LinkException {
        return link.transact(this, request, answerLength, timeout, attempts, Objects.requireNonNull(check, "check"),
                Objects.requireNonNull(quiet, "quiet"));
    }

    /**
     * Sends a request and returns the first frame that {@code reader} accepts (variable-length
     * protocols: the length is in the frame's header), retrying up to {@code attempts} times in
     * all when no complete frame comes within {@code timeout}. What the reader skips is counted
     * as garbled and dropped; the wait goes on until the timeout.
     *
     * @since 1.1
     */
    public byte[] transact(byte[] request, FrameReader reader, Duration timeout, int attempts) throws LinkException {
        return link.transact(this, request, reader, timeout, attempts);
    }

    @Override
    public void close() {
        link.detach(this);
    }
}
