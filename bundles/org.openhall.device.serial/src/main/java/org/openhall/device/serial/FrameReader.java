package org.openhall.device.serial;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Finds one answer frame of a variable-length protocol in the bytes received so far, for
 * {@link Endpoint#transact(byte[], FrameReader, java.time.Duration, int)}. A protocol with the
 * length in its header (e.g. {@code FF 68 L L 68 ADDR CMD DATA CS 16}) implements it once; the
 * transport calls it each time bytes arrive, on the link's request, under its lock.
 *
 * <p>{@link #read} answers with one int:
 * <ul>
 * <li>{@link #NEED_MORE} (0): not enough bytes yet to tell;</li>
 * <li>{@link #frame(int) frame(n)} (n &gt; 0): the first n bytes are the complete, valid answer;</li>
 * <li>{@link #skip(int) skip(n)} (−n): the first n bytes are garbage (noise, a wrong start byte,
 * a bad checksum, another address, an unexpected command): the transport counts them as one
 * garbled frame ({@link Counters#garbled()}), drops them and asks again about the rest.</li>
 * </ul>
 * Bytes still pending when the timeout ends (a truncated frame) are counted as garbled too, and
 * the request is retried. Implementations must not block and must not keep the array.
 *
 * @since 1.1
 */
@ConsumerType
public interface FrameReader {

    /** Not enough bytes yet. */
    int NEED_MORE = 0;

    /**
     * Looks at {@code received[0..length)}, the bytes of the answer received so far (after any
     * bytes skipped before).
     *
     * @return {@link #NEED_MORE}, {@link #frame(int)} or {@link #skip(int)}
     */
    int read(byte[] received, int length);

    /** The verdict "the first {@code n} bytes are a complete frame" (n ≥ 1). */
    static int frame(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a frame has at least one byte");
        }
        return n;
    }

    /** The verdict "the first {@code n} bytes are garbage: drop them" (n ≥ 1). */
    static int skip(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("skip at least one byte");
        }
        return -n;
    }

    /** A reader of fixed-length answers of {@code length} bytes, which the fixed-length transact uses. */
    static FrameReader fixed(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("an answer has at least one byte");
        }
        return (received, n) -> n >= length ? length : NEED_MORE;
    }
}
