package org.openhall.device.serial;

import org.openhall.testsupport.Socat;
import org.openhall.testsupport.Threads;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fazecast.jSerialComm.SerialPort;

/**
 * Variable-length frames ({@link FrameReader}) on a real pseudo-terminal pair (socat), with an
 * RS-485-style bus emulator on the far end. The test protocol: a request is {@code [address, n]};
 * the answer is {@code 7E address length payload… checksum} (checksum = sum of address, length
 * and payload mod 256) with n payload bytes of value n, unless the test scripted other bytes.
 */
class FrameLinkTest {

    /** The reader of the test protocol for answers from {@code address}. */
    static FrameReader reader(int address) {
        return (b, n) -> {
            if ((b[0] & 0xFF) != 0x7E) {
                int i = 1;
                while (i < n && (b[i] & 0xFF) != 0x7E) {
                    i++;
                }
                return FrameReader.skip(i);
            }
            if (n < 3) {
                return FrameReader.NEED_MORE;
            }
            int len = b[2] & 0xFF;
            int total = len + 4;
            if (n < total) {
                return FrameReader.NEED_MORE;
            }
            int sum = 0;
            for (int i = 1; i < total - 1; i++) {
                sum += b[i] & 0xFF;
            }
            if ((sum & 0xFF) != (b[total - 1] & 0xFF) || (b[1] & 0xFF) != address) {
                return FrameReader.skip(total);
            }
            return FrameReader.frame(total);
        };
    }

    static byte[] frame(int address, int n) {
        byte[] f = new byte[n + 4];
        f[0] = 0x7E;
        f[1] = (byte) address;
        f[2] = (byte) n;
        int sum = address + n;
        for (int i = 0; i < n; i++) {
            f[3 + i] = (byte) n;
            sum += n;
        }
        f[n + 3] = (byte) sum;
        return f;
    }

    /** Devices behind the far end of the pseudo-terminal pair. */
    static final class BusEmulator implements AutoCloseable {
        final Set<Integer> silent = ConcurrentHashMap.newKeySet();
        /** Per address, answers to send instead of the good one, first in first out. */
        final Map<Integer, Deque<byte[]>> scripted = new ConcurrentHashMap<>();
        final SerialPort port;
        final Thread thread = new Thread(this::run, "bus-emulator");
        volatile boolean closed;

        BusEmulator(Path link) {
            port = SerialPort.getCommPort(link.toString());
            port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 50, 0);
            if (!port.openPort()) {
                throw new IllegalStateException("cannot open " + link);
            }
            thread.setDaemon(true);
            thread.start();
        }

        void script(int address, byte[]... answers) {
            Deque<byte[]> q = scripted.computeIfAbsent(address, a -> new ArrayDeque<>());
            synchronized (q) {
                q.addAll(List.of(answers));
            }
        }

        private void run() {
            byte[] buf = new byte[64];
            List<Byte> pending = new ArrayList<>();
            while (!closed) {
                int n = port.readBytes(buf, buf.length);
                for (int i = 0; i < n; i++) {
                    pending.add(buf[i]);
                }
                while (pending.size() >= 2) {
                    int address = pending.remove(0) & 0xFF;
                    int count = pending.remove(0) & 0xFF;
                    if (silent.contains(address)) {
                        continue;
                    }
                    Deque<byte[]> q = scripted.get(address);
                    byte[] answer = null;
                    if (q != null) {
                        synchronized (q) {
                            answer = q.poll();
                        }
                    }
                    if (answer == null) {
                        answer = frame(address, count);
                    }
                    port.writeBytes(answer, answer.length);
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            thread.join(2000);
            port.closePort();
        }
    }

    @TempDir
    Path tmp;
    Socat socat;
    BusEmulator bus;
    final List<Endpoint> endpoints = new ArrayList<>();
    LinkSpec spec;

    @BeforeEach
    void plug() throws Exception {
        socat = new Socat(tmp);
        bus = new BusEmulator(socat.b);
        spec = LinkSpec.parse("serial:" + socat.a);
    }

    @AfterEach
    void unplug() throws Exception {
        endpoints.forEach(Endpoint::close);
        bus.close();
        socat.close();
        Threads.assertNoneLeft("no link thread is left once every endpoint is closed", "openhall-link-");
    }

    Endpoint attach(String id) {
        Endpoint e = DeviceLink.attach(id, spec, DeviceLinkTest.QUIET);
        endpoints.add(e);
        DeviceLinkTest.await("link up", e::isUp);
        return e;
    }

    @Test
    void framesOfEveryLengthAreRead() throws Exception {
        Endpoint e = attach("d1");
        for (int n = 0; n <= 40; n++) {
            byte[] answer = e.transact(new byte[] { 1, (byte) n }, reader(1), Duration.ofSeconds(2), 1);
            assertArrayEquals(frame(1, n), answer, "answer with " + n + " payload bytes");
        }
        assertEquals(41, e.counters().framesIn());
        assertEquals(0, e.counters().garbled());
    }

    @Test
    void noiseBeforeAFrameIsSkippedAndCounted() throws Exception {
        Endpoint e = attach("d1");
        byte[] good = frame(1, 3);
        byte[] noisy = new byte[good.length + 3];
        noisy[0] = 0x55;
        noisy[1] = 0x00;
        noisy[2] = (byte) 0xAA;
        System.arraycopy(good, 0, noisy, 3, good.length);
        bus.script(1, noisy);
        assertArrayEquals(good, e.transact(new byte[] { 1, 3 }, reader(1), Duration.ofSeconds(2), 1));
        assertEquals(1, e.counters().garbled(), "the noise is one garbled frame");
        assertEquals(0, e.counters().errors(), "and no failed attempt");
    }

    @Test
    void aBadChecksumAWrongAddressOrATruncatedFrameIsDroppedAndTheRequestRetried() throws Exception {
        Endpoint e = attach("d1");
        Duration timeout = Duration.ofMillis(300);
        byte[] bad = frame(1, 4);
        bad[bad.length - 1] ^= 0x5A;
        bus.script(1, bad);
        assertArrayEquals(frame(1, 4), e.transact(new byte[] { 1, 4 }, reader(1), timeout, 2), "bad checksum, then good");
        assertEquals(1, e.counters().garbled());

        bus.script(1, frame(2, 4));
        assertArrayEquals(frame(1, 4), e.transact(new byte[] { 1, 4 }, reader(1), timeout, 2), "another address, then good");
        assertEquals(2, e.counters().garbled());

        byte[] truncated = java.util.Arrays.copyOf(frame(1, 6), 5);
        bus.script(1, truncated);
        assertArrayEquals(frame(1, 6), e.transact(new byte[] { 1, 6 }, reader(1), timeout, 2), "truncated, then good");
        assertEquals(3, e.counters().garbled(), "the truncated frame counted at the timeout");
        assertEquals(3, e.counters().errors(), "each of the three cost one attempt");

        bus.script(1, bad, bad);
        LinkException ex = assertThrows(LinkException.class, () -> e.transact(new byte[] { 1, 4 }, reader(1), timeout, 2));
        assertEquals(LinkException.Reason.TIMEOUT, ex.reason(), "only garbage: the device did not answer");
        assertArrayEquals(frame(1, 2), e.transact(new byte[] { 1, 2 }, reader(1), timeout, 2), "the bus keeps working");
    }

    @Test
    void aSilentDeviceOnTheBusDoesNotStopTheOther() throws Exception {
        Endpoint a = attach("keypad-1");
        Endpoint b = attach("keypad-2");
        assertTrue(a.link() == b.link(), "one link owns the port");
        bus.silent.add(2);
        Duration timeout = Duration.ofMillis(150);
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(frame(1, i), a.transact(new byte[] { 1, (byte) i }, reader(1), timeout, 2));
            LinkException ex = assertThrows(LinkException.class, () -> b.transact(new byte[] { 2, 1 }, reader(2), timeout, 2));
            assertEquals(LinkException.Reason.TIMEOUT, ex.reason());
        }
        bus.silent.remove(2);
        assertArrayEquals(frame(2, 1), b.transact(new byte[] { 2, 1 }, reader(2), timeout, 2), "answers again");
        assertEquals(5, a.counters().framesIn());
        assertEquals(10, b.counters().errors());
    }

    @Test
    void aFailingReaderDropsTheBytesAndDoesNotKillTheLink() throws Exception {
        Endpoint e = attach("d1");
        FrameReader broken = (b, n) -> {
            throw new IllegalStateException("bug");
        };
        assertThrows(LinkException.class, () -> e.transact(new byte[] { 1, 1 }, broken, Duration.ofMillis(200), 1));
        assertTrue(e.counters().garbled() >= 1);
        assertArrayEquals(frame(1, 1), e.transact(new byte[] { 1, 1 }, reader(1), Duration.ofSeconds(2), 1));
    }
}
