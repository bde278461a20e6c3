package org.openhall.device.copier.internal;

/**
 * Turns two readings of a copier's hardware page counter into pages (R19). The counter of an I/O
 * module only counts pulses: it wraps at 2^16 or 2^32, and starts again at 0 when the module is
 * reset or loses power. The hall's own count must only grow, so a counter that goes backwards is
 * never negative pages:
 * <ul>
 * <li>the first reading of a copier is its baseline: nothing is counted (pages before the hall
 * knew the copier are not the hall's);</li>
 * <li>a reading at or above the last one counts the difference;</li>
 * <li>a lower reading is a wrap-around when the pages it implies (up to the top of the range and on
 * from 0) are at most {@code maxStep}: a copier cannot make more pages between two polls;</li>
 * <li>otherwise it is a reset of the module: the reading itself is the pages counted since.</li>
 * </ul>
 */
final class Counting {

    enum Kind { BASELINE, COUNT, WRAP, RESET }

    /** Pages to add and why. */
    record Step(long pages, Kind kind) {
    }

    private Counting() {
    }

    /**
     * @param last    the last reading, or -1 when there is none (or it was taken with another width)
     * @param now     this reading, 0..2^width-1
     * @param width   16 or 32
     * @param maxStep the most pages a copier makes between two polls
     */
    static Step step(long last, long now, int width, long maxStep) {
        long range = 1L << width;
        if (now < 0 || now >= range) {
            throw new IllegalArgumentException("reading " + now + " outside 0.." + (range - 1));
        }
        if (last < 0 || last >= range) {
            return new Step(0, Kind.BASELINE);
        }
        if (now >= last) {
            return new Step(now - last, Kind.COUNT);
        }
        long wrapped = range - last + now;
        if (wrapped <= maxStep) {
            return new Step(wrapped, Kind.WRAP);
        }
        return new Step(now, Kind.RESET);
    }

    /** The counter value of two registers, as read, in the configured word order. */
    static long combine(int first, int second, boolean highWordFirst) {
        long a = first & 0xFFFF;
        long b = second & 0xFFFF;
        return highWordFirst ? (a << 16) | b : (b << 16) | a;
    }
}
