package org.openhall.device.display.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The frame format byte by byte, as docs/devices.md documents it. */
class FramesTest {

    static final Charset GB2312 = Charset.forName("GB2312");
    static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    @Test
    void aBlinkingCallIsStxAddressCommandLengthAttributeGb2312TextSumEtx() {
        byte[] f = Frames.show(3, "请A012号", true, GB2312);
        // 请 = C7 EB, 号 = BA C5 in GB2312; LEN = 1 attribute + 8 text bytes
        assertEquals("02 03 31 09 01 c7 eb 41 30 31 32 ba c5 43 03", HEX.formatHex(f));
        assertEquals((3 + 0x31 + 9 + 1 + 0xC7 + 0xEB + 0x41 + 0x30 + 0x31 + 0x32 + 0xBA + 0xC5) & 0xFF, f[13] & 0xFF);
    }

    @Test
    void aPollHasNoData() {
        assertEquals("02 07 30 00 37 03", HEX.formatHex(Frames.poll(7)));
    }

    @Test
    void anAckDecodesAndEveryDamageIsRefused() {
        byte[] ack = Frames.answer(3, true, Frames.STATUS_BLANK);
        assertEquals("02 03 06 80 89 03", HEX.formatHex(ack));
        Frames.Answer a = Frames.decode(ack, 3);
        assertNotNull(a);
        assertTrue(a.ack());
        assertTrue(a.blank());
        assertFalse(a.fault());
        assertFalse(Frames.decode(Frames.answer(3, false, 0), 3).ack(), "a NAK");
        assertNull(Frames.decode(ack, 4), "another address's answer");
        byte[] bad = ack.clone();
        bad[4] ^= 1;
        assertNull(Frames.decode(bad, 3), "bad checksum");
        byte[] noEtx = ack.clone();
        noEtx[5] = 0;
        assertNull(Frames.decode(noEtx, 3), "no end byte");
        assertNull(Frames.decode(new byte[] { 2, 3, 6 }, 3), "truncated");
        byte[] unknown = Frames.answer(3, true, 0);
        unknown[2] = 0x07;
        unknown[4] = (byte) (3 + 7);
        assertNull(Frames.decode(unknown, 3), "neither ACK nor NAK");
    }

    @Test
    void textThatDoesNotFitIsCutAtACharacterAndUnencodableCharactersBecomeQuestionMarks() {
        String longText = "请".repeat(200);
        byte[] f = Frames.show(1, longText, false, GB2312);
        // At most an attribute and 239 bytes of text; 239 is odd: the half character is left out.
        assertEquals(1 + 238, f[3] & 0xFF);
        assertEquals("请".repeat(119), new String(f, 5, (f[3] & 0xFF) - 1, GB2312));
        assertArrayEquals("A?".getBytes(GB2312), Frames.encode("A\uD842\uDFB7", GB2312, 10), "𠮷 is not in GB2312");
        byte[] gb18030 = Frames.encode("A\uD842\uDFB7", Charset.forName("GB18030"), 10);
        assertEquals(5, gb18030.length, "GB18030 has it (4 bytes)");
        assertEquals("A\uD842\uDFB7", new String(gb18030, Charset.forName("GB18030")));
    }
}
