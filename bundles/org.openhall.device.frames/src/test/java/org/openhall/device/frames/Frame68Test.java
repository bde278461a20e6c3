package org.openhall.device.frames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.openhall.device.serial.FrameReader;

class Frame68Test {

    static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    @Test
    void aFrameIsEncodedByteByByte() {
        // Keypad at address 3 answers a poll (10 -> 90) with SEQ 7, key 01 (call next).
        byte[] f = Frame68.encode(3, 0x90, new byte[] { 7, 1 });
        assertEquals("ff 68 04 04 68 03 90 07 01 9b 16", HEX.formatHex(f));
        assertEquals(new Frame68.Frame(3, 0x90, new byte[] { 7, 1 }), Frame68.decode(f));
    }

    @Test
    void theReaderTakesOnlyTheAnswerItWaitsFor() {
        FrameReader r = Frame68.reader(3, 0x10);
        byte[] good = Frame68.encode(3, 0x90, new byte[] { 7, 1 });
        assertEquals(good.length, r.read(good, good.length));
        for (int n = 1; n < good.length; n++) {
            assertEquals(FrameReader.NEED_MORE, r.read(good, n), "a part of the frame: need more");
        }
        byte[] bad = good.clone();
        bad[bad.length - 2] ^= 1;
        assertEquals(FrameReader.skip(good.length), r.read(bad, bad.length), "bad checksum");
        byte[] other = Frame68.encode(4, 0x90, new byte[] { 7, 1 });
        assertEquals(FrameReader.skip(other.length), r.read(other, other.length), "another address");
        byte[] echo = Frame68.encode(3, 0x10, new byte[] { 0 });
        assertEquals(FrameReader.skip(echo.length), r.read(echo, echo.length), "the master's own request (echo)");
        byte[] unknown = Frame68.encode(3, 0x9F, new byte[0]);
        assertEquals(FrameReader.skip(unknown.length), r.read(unknown, unknown.length), "an unexpected command");
        byte[] noise = { 0x12, 0x34, (byte) 0xFF, 0x68 };
        assertEquals(FrameReader.skip(2), r.read(noise, noise.length), "noise up to the next wake byte");
        byte[] badHeader = { (byte) 0xFF, 0x68, 4, 5, 0x68 };
        assertNotEquals(FrameReader.NEED_MORE, r.read(badHeader, badHeader.length), "lengths that differ");
        byte[] end = good.clone();
        end[end.length - 1] = 0x17;
        assertEquals(FrameReader.skip(good.length), r.read(end, end.length), "a wrong end byte");
    }

    @Test
    void decodeRefusesWhatIsNotOneFrame() {
        assertThrows(IllegalArgumentException.class, () -> Frame68.decode(new byte[] { 1, 2, 3 }));
        assertThrows(IllegalArgumentException.class, () -> Frame68.encode(1, 0x10, new byte[249]));
        byte[] max = Frame68.encode(1, 0x10, new byte[248]);
        assertArrayEquals(new byte[248], Frame68.decode(max).data());
    }

    @Test
    void theLastPressSurvivesARestartForAWhile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        java.nio.file.Path store = tmp.resolve("devices/keypad-1.press");
        long now = System.currentTimeMillis();
        Presses first = new Presses("keypad-1", now, store);
        Presses.Press p = first.press(9);
        Presses restarted = new Presses("keypad-1", now + 1000, store);
        assertEquals(9, restarted.acknowledge(), "the press carried out before the restart is acknowledged");
        Presses.Press again = restarted.press(9);
        assertEquals(p.requestId(), again.requestId(), "and a repeat of it gets its request id");
        assertEquals(true, again.repeat());
        Presses later = new Presses("keypad-1", now + Presses.RESTART_WINDOW.toMillis() + 60_000, store);
        assertEquals(0, later.acknowledge(), "too old: a new press with that SEQ is a new press");
    }

    @Test
    void aRepeatedSeqKeepsItsRequestId() {
        Presses p = new Presses("keypad-1", 1_000_000L);
        assertEquals(0, p.acknowledge());
        Presses.Press a = p.press(7);
        Presses.Press again = p.press(7);
        Presses.Press b = p.press(8);
        assertEquals(a.requestId(), again.requestId());
        assertEquals(true, again.repeat());
        assertNotEquals(a.requestId(), b.requestId());
        assertEquals(8, p.acknowledge());
        assertNotEquals(a.requestId(), p.press(7).requestId(), "SEQ 7 after 8 is a new press (wrap-around)");
        assertNotEquals(a.requestId(), new Presses("keypad-1", 2_000_000L).press(7).requestId(), "another boot");
    }
}
