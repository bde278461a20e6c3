package org.openhall.device.frames;

import java.util.Arrays;

import org.openhall.device.serial.FrameReader;

/**
 * The frame family of many RS-485 window keypads (呼叫器) and evaluators (评价器), after the long
 * frame of DL/T 645 and M-Bus:
 *
 * <pre>
 * FF  68  L  L  68  ADDR  CMD  DATA…  CS  16
 * </pre>
 *
 * {@code FF} wakes the receivers; {@code 68 L L 68} is the header with the length twice;
 * {@code L} = number of bytes of ADDR, CMD and DATA (2..250); {@code CS} = sum of ADDR..DATA mod
 * 256; {@code 16} ends the frame. A frame has {@code L + 7} bytes. The master (the hall) sends a
 * command {@code CMD}; the device at {@code ADDR} answers with {@code CMD | 0x80} from its own
 * address. docs/devices.md lists the commands of each device byte by byte.
 */
public final class Frame68 {

    public static final int WAKE = 0xFF;
    public static final int START = 0x68;
    public static final int END = 0x16;
    /** The answer bit of CMD. */
    public static final int ANSWER = 0x80;
    /** Longest DATA. */
    public static final int MAX_DATA = 248;
    public static final int MIN_ADDRESS = 1;
    public static final int MAX_ADDRESS = 247;

    /** A decoded frame. */
    public record Frame(int address, int command, byte[] data) {
        public Frame {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        public int length() {
            return data.length;
        }

        /** DATA byte {@code i} as 0..255. */
        public int at(int i) {
            return data[i] & 0xFF;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Frame f && f.address == address && f.command == command && Arrays.equals(f.data, data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data) * 31 + address * 7 + command;
        }

        @Override
        public String toString() {
            return String.format("Frame[addr=%d cmd=%02X data=%s]", address, command, java.util.HexFormat.ofDelimiter(" ").formatHex(data));
        }
    }

    private Frame68() {
    }

    public static byte[] encode(int address, int command, byte[] data) {
        if (address < 0 || address > 255 || command < 0 || command > 255) {
            throw new IllegalArgumentException("address and command are bytes");
        }
        if (data.length > MAX_DATA) {
            throw new IllegalArgumentException("at most " + MAX_DATA + " data bytes");
        }
        int l = data.length + 2;
        byte[] f = new byte[l + 7];
        f[0] = (byte) WAKE;
        f[1] = START;
        f[2] = (byte) l;
        f[3] = (byte) l;
        f[4] = START;
        f[5] = (byte) address;
        f[6] = (byte) command;
        System.arraycopy(data, 0, f, 7, data.length);
        f[l + 5] = (byte) checksum(f, 5, l);
        f[l + 6] = END;
        return f;
    }

    static int checksum(byte[] b, int from, int count) {
        int sum = 0;
        for (int i = from; i < from + count; i++) {
            sum += b[i] & 0xFF;
        }
        return sum & 0xFF;
    }

    /**
     * Checks a complete frame and decodes it.
     *
     * @throws IllegalArgumentException with the reason when it is not a well-formed frame
     */
    public static Frame decode(byte[] f) {
        int verdict = check(f, f.length, -1, -1);
        if (verdict != f.length) {
            throw new IllegalArgumentException("not one well-formed frame");
        }
        int l = f[2] & 0xFF;
        return new Frame(f[5] & 0xFF, f[6] & 0xFF, Arrays.copyOfRange(f, 7, 5 + l));
    }

    /**
     * The reader of the answer to {@code command} from {@code address}: anything else (noise, a
     * wrong start, a bad length or checksum, another address, another command, the master's own
     * echo) is skipped, so the transport counts it as garbled and drops it.
     */
    public static FrameReader reader(int address, int command) {
        int answer = command | ANSWER;
        return (b, n) -> check(b, n, address, answer);
    }

    /** {@link FrameReader} verdict for {@code b[0..n)}; address/command −1 accept any. */
    static int check(byte[] b, int n, int address, int command) {
        if (n < 1) {
            return FrameReader.NEED_MORE;
        }
        if ((b[0] & 0xFF) != WAKE) {
            return FrameReader.skip(toNextWake(b, n));
        }
        if (n < 2) {
            return FrameReader.NEED_MORE;
        }
        if ((b[1] & 0xFF) != START) {
            return FrameReader.skip(1);
        }
        if (n < 5) {
            return FrameReader.NEED_MORE;
        }
        int l = b[2] & 0xFF;
        if ((b[3] & 0xFF) != l || (b[4] & 0xFF) != START || l < 2 || l > MAX_DATA + 2) {
            return FrameReader.skip(toNextWake(b, n));
        }
        int total = l + 7;
        if (n < total) {
            return FrameReader.NEED_MORE;
        }
        if ((b[total - 1] & 0xFF) != END || checksum(b, 5, l) != (b[total - 2] & 0xFF)) {
            return FrameReader.skip(total);
        }
        if (address >= 0 && (b[5] & 0xFF) != address || command >= 0 && (b[6] & 0xFF) != command) {
            return FrameReader.skip(total);
        }
        return FrameReader.frame(total);
    }

    /** Bytes up to the next wake byte after the first, or all. */
    private static int toNextWake(byte[] b, int n) {
        int i = 1;
        while (i < n && (b[i] & 0xFF) != WAKE) {
            i++;
        }
        return i;
    }
}
