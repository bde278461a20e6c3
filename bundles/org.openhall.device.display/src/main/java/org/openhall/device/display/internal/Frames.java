package org.openhall.device.display.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;

/**
 * The window display's serial protocol (docs/devices.md, "Window display protocol"): the
 * STX-address-command-length-data-checksum-ETX family of the RS-485 strip screens (条屏 / 窗口屏)
 * of Chinese queue systems, answered by a fixed-length ACK or NAK frame.
 *
 * <pre>
 * host → display   STX(02) ADDR CMD LEN DATA[LEN] SUM ETX(03)
 *                  CMD 0x31 show text: DATA = ATTR, text (GB2312/GB18030, 0x0A between lines)
 *                                      ATTR bit 0 = blink
 *                  CMD 0x30 status poll: LEN = 0
 *                  SUM = (ADDR + CMD + LEN + DATA…) mod 256
 * display → host   STX(02) ADDR CODE STATUS SUM ETX(03)      always 6 bytes
 *                  CODE 0x06 ACK, 0x15 NAK (the frame arrived damaged: send it again)
 *                  STATUS bit 7 = blank since power-up (has no content), bit 0 = LED module fault
 *                  SUM = (ADDR + CODE + STATUS) mod 256
 * </pre>
 *
 * No library speaks this family (each vendor ships a DLL); it is a dozen bytes, encoded here.
 */
final class Frames {

    static final int STX = 0x02;
    static final int ETX = 0x03;
    static final int CMD_POLL = 0x30;
    static final int CMD_SHOW = 0x31;
    static final int ACK = 0x06;
    static final int NAK = 0x15;
    static final int ATTR_BLINK = 0x01;
    static final int STATUS_BLANK = 0x80;
    static final int STATUS_FAULT = 0x01;
    /** Length of every answer of the display. */
    static final int ANSWER_LENGTH = 6;
    /** The longest DATA: one attribute byte and up to 239 bytes of text. */
    static final int MAX_DATA = 240;
    static final int MAX_TEXT_BYTES = MAX_DATA - 1;

    /** A decoded answer: ACK or NAK, with the status byte. */
    record Answer(int address, boolean ack, int status) {
        boolean blank() {
            return (status & STATUS_BLANK) != 0;
        }

        boolean fault() {
            return (status & STATUS_FAULT) != 0;
        }
    }

    private Frames() {
    }

    /** The status poll frame for {@code address}. */
    static byte[] poll(int address) {
        return frame(address, CMD_POLL, new byte[0]);
    }

    /**
     * The show-text frame. Text that does not fit is cut at a character boundary, characters the
     * charset cannot encode become '?'.
     */
    static byte[] show(int address, String text, boolean blink, Charset charset) {
        byte[] t = encode(text, charset, MAX_TEXT_BYTES);
        byte[] data = new byte[t.length + 1];
        data[0] = (byte) (blink ? ATTR_BLINK : 0);
        System.arraycopy(t, 0, data, 1, t.length);
        return frame(address, CMD_SHOW, data);
    }

    /** Encodes text, '\n' as 0x0A, at most {@code max} bytes, never half a character. */
    static byte[] encode(String text, Charset charset, int max) {
        CharsetEncoder enc = charset.newEncoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).replaceWith(new byte[] { '?' });
        ByteBuffer out = ByteBuffer.allocate(max);
        // An encoder stops at a character that no longer fits: the text is cut there, whole.
        enc.encode(CharBuffer.wrap(text), out, true);
        byte[] b = new byte[out.position()];
        out.flip();
        out.get(b);
        return b;
    }

    /** Whether every character of {@code text} has a code in {@code charset}. */
    static boolean encodable(String text, Charset charset) {
        try {
            charset.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(text));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    static byte[] frame(int address, int command, byte[] data) {
        if (data.length > MAX_DATA) {
            throw new IllegalArgumentException("data of " + data.length + " bytes, at most " + MAX_DATA);
        }
        byte[] f = new byte[data.length + 6];
        f[0] = STX;
        f[1] = (byte) address;
        f[2] = (byte) command;
        f[3] = (byte) data.length;
        System.arraycopy(data, 0, f, 4, data.length);
        f[4 + data.length] = (byte) sum(f, 1, 4 + data.length);
        f[5 + data.length] = ETX;
        return f;
    }

    /** The 8-bit sum of {@code b[from..to)}. */
    static int sum(byte[] b, int from, int to) {
        int s = 0;
        for (int i = from; i < to; i++) {
            s += b[i] & 0xFF;
        }
        return s & 0xFF;
    }

    /** The answer frame a display sends (for the emulator, and documentation by example). */
    static byte[] answer(int address, boolean ack, int status) {
        int code = ack ? ACK : NAK;
        return new byte[] { STX, (byte) address, (byte) code, (byte) status,
                (byte) ((address + code + status) & 0xFF), ETX };
    }

    /**
     * Decodes an answer of {@link #ANSWER_LENGTH} bytes from the display at {@code address}; null
     * when it is not one (wrong start or end byte, wrong address, unknown code, bad checksum).
     */
    static Answer decode(byte[] a, int address) {
        if (a == null || a.length != ANSWER_LENGTH || (a[0] & 0xFF) != STX || (a[5] & 0xFF) != ETX) {
            return null;
        }
        int addr = a[1] & 0xFF;
        int code = a[2] & 0xFF;
        if (addr != address || (code != ACK && code != NAK) || sum(a, 1, 4) != (a[4] & 0xFF)) {
            return null;
        }
        return new Answer(addr, code == ACK, a[3] & 0xFF);
    }
}
