package org.openhall.device.frames;

/**
 * Key presses as a device numbers them (SEQ, 1..255 in each key frame, repeated until the master
 * acknowledges it), turned into request ids for {@link org.openhall.api.queue.HallQueue}: the same
 * SEQ as the last press is a repeat (the acknowledgement was lost and the device sent it again)
 * and gets the same request id, so the core's idempotency answers it and nothing happens twice;
 * another SEQ is a new press and gets a new id. Ids are
 * {@code <device id>:<boot>:<n>-<seq>}, where {@code boot} is the driver's start time (base 36)
 * and {@code n} counts this run's presses, so they stay unique across days, wrap-arounds of SEQ
 * and restarts of the hall or of the device.
 */
public final class Presses {

    /** One press: its request id, and whether it repeats the last one. */
    public record Press(String requestId, boolean repeat) {
    }

    private final String prefix;
    private int lastSeq;
    private String lastId;
    private long count;

    public Presses(String deviceId, long bootMillis) {
        this.prefix = deviceId + ":" + Long.toString(bootMillis, 36);
    }

    public synchronized Press press(int seq) {
        if (seq == lastSeq && lastId != null) {
            return new Press(lastId, true);
        }
        lastSeq = seq;
        lastId = prefix + ":" + (++count) + "-" + seq;
        return new Press(lastId, false);
    }

    /** The SEQ to acknowledge: the last press taken, 0 before the first. */
    public synchronized int acknowledge() {
        return lastId == null ? 0 : lastSeq;
    }
}
