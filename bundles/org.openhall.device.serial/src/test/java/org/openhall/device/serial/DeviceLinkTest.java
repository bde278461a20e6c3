package org.openhall.device.serial;

import org.openhall.testsupport.Threads;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transport on a real TCP socket with a small RS-485-style bus behind it: frames are
 * {@code [address, payload]} and each device answers {@code [address, payload + 1]}; addresses
 * in {@code silent} never answer.
 */
class DeviceLinkTest {

    static final DeviceLink.Listener QUIET = new DeviceLink.Listener() {
        @Override
        public void linkUp(String description) {
        }

        @Override
        public void linkDown(String reason) {
        }
    };

    /** A bus of devices behind one TCP port. */
    static final class Bus implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0);
        final Set<Integer> silent = java.util.concurrent.ConcurrentHashMap.newKeySet();
        /** Line noise: each entry is written just before the next answer, in the same write. */
        final java.util.Queue<byte[]> noise = new java.util.concurrent.ConcurrentLinkedQueue<>();
        final AtomicInteger connections = new AtomicInteger();
        volatile Socket current;
        volatile boolean closed;
        final Thread thread = new Thread(this::run, "bus-emulator");

        Bus() throws IOException {
            server.setSoTimeout(50);
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            while (!closed) {
                try (Socket s = server.accept()) {
                    current = s;
                    connections.incrementAndGet();
                    s.setSoTimeout(50);
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    byte[] frame = new byte[2];
                    int have = 0;
                    while (!closed) {
                        int b;
                        try {
                            b = in.read();
                        } catch (SocketTimeoutException e) {
                            continue;
                        }
                        if (b < 0) {
                            break;
                        }
                        frame[have++] = (byte) b;
                        if (have == 2) {
                            have = 0;
                            if (!silent.contains((int) frame[0])) {
                                byte[] before = noise.poll();
                                byte[] answer = { frame[0], (byte) (frame[1] + 1) };
                                if (before != null) {
                                    byte[] both = java.util.Arrays.copyOf(before, before.length + 2);
                                    System.arraycopy(answer, 0, both, before.length, 2);
                                    answer = both;
                                }
                                out.write(answer);
                                out.flush();
                            }
                        }
                    }
                } catch (SocketTimeoutException e) {
                    // waiting for the link
                } catch (IOException e) {
                    // connection dropped by the test
                }
            }
        }

        /** Drops the connection, as a serial-to-Ethernet converter that reboots. */
        void drop() throws IOException {
            Socket s = current;
            if (s != null) {
                s.close();
            }
        }

        @Override
        public void close() throws Exception {
            closed = true;
            thread.join(2000);
            server.close();
        }
    }

    final List<Endpoint> endpoints = new ArrayList<>();
    Bus bus;

    @AfterEach
    void tearDown() throws Exception {
        endpoints.forEach(Endpoint::close);
        if (bus != null) {
            bus.close();
        }
        Threads.assertNoneLeft("no link thread is left once every endpoint is closed", "openhall-link-");
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(10); // poll interval: the loop re-checks the condition
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    Endpoint attach(String id, LinkSpec spec) {
        Endpoint e = DeviceLink.attach(id, spec, QUIET);
        endpoints.add(e);
        return e;
    }

    @Test
    void devicesShareOneBusAndASilentOneDoesNotStallTheOthers() throws Exception {
        bus = new Bus();
        LinkSpec spec = LinkSpec.parse("tcp:127.0.0.1:" + bus.server.getLocalPort());
        Endpoint a = attach("caller-1", spec);
        Endpoint b = attach("caller-2", spec);
        assertTrue(a.link() == b.link(), "one link owns the port");
        await("link up", a::isUp);
        bus.silent.add(2);

        Duration timeout = Duration.ofMillis(150);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> answered = pool.submit(() -> {
                int ok = 0;
                for (int i = 0; i < 20; i++) {
                    byte[] r = a.transact(new byte[] { 1, (byte) i }, 2, timeout, 2);
                    assertArrayEquals(new byte[] { 1, (byte) (i + 1) }, r);
                    ok++;
                }
                return ok;
            });
            Future<Integer> timedOut = pool.submit(() -> {
                int failures = 0;
                for (int i = 0; i < 5; i++) {
                    LinkException e = assertThrows(LinkException.class, () -> b.transact(new byte[] { 2, 0 }, 2, timeout, 2));
                    assertEquals(LinkException.Reason.TIMEOUT, e.reason());
                    failures++;
                }
                return failures;
            });
            // Worst case for device 1: it waits behind each of device 2's requests (2 × 150 ms).
            assertEquals(20, answered.get(20, TimeUnit.SECONDS));
            assertEquals(5, timedOut.get(20, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(20, a.counters().framesIn());
        assertEquals(10, b.counters().errors(), "5 requests × 2 attempts timed out");
        assertEquals(0, b.counters().framesIn());
    }

    @Test
    void onePortHasOneOwner() throws Exception {
        bus = new Bus();
        LinkSpec spec = LinkSpec.parse("tcp:127.0.0.1:" + bus.server.getLocalPort());
        attach("d1", spec);
        assertThrows(IllegalStateException.class, () -> DeviceLink.attach("d1", spec, QUIET), "same device twice");
        LinkSpec other = LinkSpec.parse("serial:/dev/ttyS99", 9600, 8, 1, 'N');
        attach("d2", other);
        assertThrows(IllegalStateException.class,
                () -> DeviceLink.attach("d3", LinkSpec.parse("serial:/dev/ttyS99", 19200, 8, 1, 'N'), QUIET),
                "the same port with other settings");
    }

    @Test
    void aDroppedConnectionIsReopenedAndStrayBytesAreCounted() throws Exception {
        bus = new Bus();
        Endpoint a = attach("d1", LinkSpec.parse("tcp:127.0.0.1:" + bus.server.getLocalPort()));
        await("link up", a::isUp);
        assertArrayEquals(new byte[] { 1, 8 }, a.transact(new byte[] { 1, 7 }, 2, Duration.ofSeconds(1), 1));
        bus.drop();
        await("reconnected", () -> bus.connections.get() == 2 && a.isUp());
        await("answers again", () -> {
            try {
                return a.transact(new byte[] { 1, 9 }, 2, Duration.ofMillis(300), 1)[1] == 10;
            } catch (LinkException e) {
                return false;
            }
        });
        // An answer of 2 bytes to a request that expects 1: the extra byte is garbled.
        a.transact(new byte[] { 1, 1 }, 1, Duration.ofSeconds(1), 1);
        await("the extra byte counted", () -> a.counters().garbled() >= 1);
    }

    @Test
    void aStrictRequestDropsGarbledAnswersAndAsksAgain() throws Exception {
        bus = new Bus();
        Endpoint a = attach("d1", LinkSpec.parse("tcp:127.0.0.1:" + bus.server.getLocalPort()));
        await("link up", a::isUp);
        java.util.function.Predicate<byte[]> fromDevice1 = answer -> answer[0] == 1;
        Duration quiet = Duration.ofMillis(20);

        // A stray byte that the device's check refuses, and, worse, a stray pair that looks exactly
        // like an answer, both right before the real answer: the lax request would return the pair.
        bus.noise.add(new byte[] { 0x55 });
        assertArrayEquals(new byte[] { 1, 8 }, a.transact(new byte[] { 1, 7 }, 2, Duration.ofSeconds(1), 2, fromDevice1, quiet));
        assertEquals(1, a.counters().garbled());
        bus.noise.add(new byte[] { 1, 99 });
        assertArrayEquals(new byte[] { 1, 8 }, a.transact(new byte[] { 1, 7 }, 2, Duration.ofSeconds(1), 2, fromDevice1, quiet));
        assertEquals(2, a.counters().garbled());
        assertEquals(2, a.link().counters().garbled(), "the link counts them too");

        // Only garbled answers: the request fails as GARBLED, not as a timeout, after every attempt.
        LinkException e = assertThrows(LinkException.class,
                () -> a.transact(new byte[] { 1, 7 }, 2, Duration.ofSeconds(1), 3, answer -> false, quiet));
        assertEquals(LinkException.Reason.GARBLED, e.reason());
        assertEquals(5, a.counters().garbled());
        assertEquals(0, a.counters().errors(), "a garbled answer is not a timeout");
    }

    @Test
    void linkAddressesAreParsed() {
        assertEquals("serial:/dev/ttyUSB0", LinkSpec.parse("/dev/ttyUSB0").key());
        assertEquals("usb:0403:6001:*", LinkSpec.parse("usb:0403:6001").key());
        assertEquals("usb:0403:6001:A1B2", LinkSpec.parse("usb:0403:6001:A1B2").key());
        assertEquals("tcp:10.1.2.3:9100", LinkSpec.parse("tcp:10.1.2.3:9100").key());
        assertThrows(IllegalArgumentException.class, () -> LinkSpec.parse("usb:xyz:1"));
        assertThrows(IllegalArgumentException.class, () -> LinkSpec.parse("tcp:host"));
        assertThrows(IllegalArgumentException.class, () -> LinkSpec.parse(""));
    }
}
