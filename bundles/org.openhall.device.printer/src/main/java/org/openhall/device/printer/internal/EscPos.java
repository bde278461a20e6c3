package org.openhall.device.printer.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Builds ESC/POS byte streams for receipt printers.
 *
 * <p>Written by hand: there is no maintained Java library for ESC/POS encoding that handles the
 * Chinese (GB18030) mode and QR codes we need, and the handful of commands used here are fixed by
 * Epson's ESC/POS command reference and followed by the Chinese printers found in halls:
 * <pre>
 * ESC @            1B 40             initialize
 * FS &amp;             1C 26             enter Chinese character mode (text bytes are GB18030)
 * ESC a n          1B 61 n           justification 0 left, 1 centre, 2 right
 * ESC E n          1B 45 n           bold on/off
 * GS ! n           1D 21 n           character size: high nibble width-1, low nibble height-1
 * ESC d n          1B 64 n           print and feed n lines
 * GS ( k …         1D 28 6B pL pH cn fn …   QR code (cn 49): model (fn 65), module size (fn 67),
 *                                    error correction (fn 69), store data (fn 80), print (fn 81)
 * GS V 66 n        1D 56 42 n        feed n and partial cut
 * DLE EOT n        10 04 n           real-time status: 1 printer, 2 offline cause, 3 error, 4 paper
 * </pre>
 */
public final class EscPos {

    public static final Charset GB18030 = Charset.forName("GB18030");

    public static final byte ESC = 0x1B;
    public static final byte FS = 0x1C;
    public static final byte GS = 0x1D;
    public static final byte DLE = 0x10;
    public static final byte EOT = 0x04;
    public static final byte LF = 0x0A;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** ESC @ and FS &amp;: a fresh printer state in Chinese mode. */
    public EscPos init() {
        bytes(ESC, '@');
        bytes(FS, '&');
        return this;
    }

    public EscPos align(int n) {
        return bytes(ESC, 'a', n);
    }

    public EscPos bold(boolean on) {
        return bytes(ESC, 'E', on ? 1 : 0);
    }

    /** Character size multipliers, 1..8 each. */
    public EscPos size(int width, int height) {
        return bytes(GS, '!', ((width - 1) << 4) | (height - 1));
    }

    /** A line of text in GB18030, ended by LF. */
    public EscPos line(String text) {
        byte[] b = text.getBytes(GB18030);
        out.write(b, 0, b.length);
        out.write(LF);
        return this;
    }

    public EscPos feed(int lines) {
        return bytes(ESC, 'd', lines);
    }

    /** A QR code of {@code content} (UTF-8), module size 1..16, error correction level M. */
    public EscPos qr(String content, int moduleSize) {
        fn(65, 50, 0); // model 2
        fn(67, moduleSize);
        fn(69, 49); // error correction M
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        int len = data.length + 3;
        bytes(GS, '(', 'k', len & 0xFF, len >> 8, 49, 80, 48);
        out.write(data, 0, data.length);
        fn(81, 48);
        return this;
    }

    private void fn(int fn, int... params) {
        int len = params.length + 2;
        bytes(GS, '(', 'k', len & 0xFF, len >> 8, 49, fn);
        for (int p : params) {
            out.write(p);
        }
    }

    /** Feeds past the cutter and cuts (partial cut). */
    public EscPos cut() {
        return bytes(GS, 'V', 66, 3);
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    private EscPos bytes(int... values) {
        for (int v : values) {
            out.write(v);
        }
        return this;
    }

    /** DLE EOT n: asks for real-time status n (1..4); the printer answers one byte. */
    public static byte[] statusQuery(int n) {
        return new byte[] { DLE, EOT, (byte) n };
    }

    /** Whether a byte is a well-formed status answer: bits 0 and 7 clear, bits 1 and 4 set. */
    public static boolean validStatus(int b) {
        return (b & 0x93) == 0x12;
    }
}
