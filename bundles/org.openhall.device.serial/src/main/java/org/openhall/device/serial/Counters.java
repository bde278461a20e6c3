package org.openhall.device.serial;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Traffic counters of a device (or of a whole link): bytes each way, frames (requests and
 * answers), errors (timeouts, write failures) and garbled frames (bytes that were not a valid
 * answer, e.g. line noise or a garbage burst).
 */
public final class Counters {

    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong framesOut = new AtomicLong();
    private final AtomicLong framesIn = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong garbled = new AtomicLong();

    public void sent(int bytes) {
        framesOut.incrementAndGet();
        bytesOut.addAndGet(bytes);
    }

    public void received(int bytes) {
        framesIn.incrementAndGet();
        bytesIn.addAndGet(bytes);
    }

    /** Bytes that arrived but belong to no frame (they are counted as one garbled frame). */
    public void garbled(int bytes) {
        bytesIn.addAndGet(bytes);
        garbled.incrementAndGet();
    }

    /** A frame that arrived but did not decode. */
    public void garbledFrame() {
        garbled.incrementAndGet();
    }

    public void error() {
        errors.incrementAndGet();
    }

    public long bytesOut() {
        return bytesOut.get();
    }

    public long bytesIn() {
        return bytesIn.get();
    }

    public long framesOut() {
        return framesOut.get();
    }

    public long framesIn() {
        return framesIn.get();
    }

    public long errors() {
        return errors.get();
    }

    public long garbled() {
        return garbled.get();
    }

    @Override
    public String toString() {
        return "out " + framesOut() + " frames/" + bytesOut() + " B, in " + framesIn() + " frames/" + bytesIn()
                + " B, " + errors() + " errors, " + garbled() + " garbled";
    }
}
