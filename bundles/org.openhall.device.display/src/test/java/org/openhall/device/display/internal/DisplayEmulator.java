package org.openhall.device.display.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fazecast.jSerialComm.SerialPort;

/**
 * An RS-485 bus of LED window displays for tests, on the far side of a socat pseudo-terminal
 * pair: every {@link Panel} has its bus address, decodes the frames sent to it ({@link Frames}),
 * records what it shows (text and blink) and answers each valid frame with a 6-byte ACK. A test
 * can cut a panel's power (it goes silent and loses its content), and damage its next answers
 * (bad checksum, truncated, another address) to see that the driver drops them.
 */
final class DisplayEmulator implements AutoCloseable {

    /** How the next answers of a panel are damaged. */
    enum Damage {
        NONE, BAD_CHECKSUM, TRUNCATED, WRONG_ADDRESS
    }

    /** One display on the bus. */
    final class Panel {
        final int address;
        final List<Content> shown = new CopyOnWriteArrayList<>();
        final AtomicInteger polls = new AtomicInteger();
        final AtomicInteger damagedLeft = new AtomicInteger();
        volatile Damage damage = Damage.NONE;
        volatile boolean powered = true;
        volatile boolean blank = true;
        volatile boolean nakNext;
        /** An LED module fault the display reports in its status byte. */
        volatile boolean fault;

        Panel(int address) {
            this.address = address;
        }

        /** What it shows now; null when blank. */
        Content current() {
            return blank || shown.isEmpty() ? null : shown.get(shown.size() - 1);
        }

        /** Power off: no answers, the content is gone. */
        void powerCut() {
            powered = false;
            blank = true;
        }

        void powerOn() {
            powered = true;
        }

        /** Damages the next {@code n} answers. */
        void damage(Damage kind, int n) {
            damage = kind;
            damagedLeft.set(n);
        }
    }

    final AtomicInteger badFrames = new AtomicInteger();
    private final Map<Integer, Panel> panels = new ConcurrentHashMap<>();
    private final Charset charset;
    private final SerialPort port;
    private final Thread thread;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private volatile boolean closed;

    private DisplayEmulator(SerialPort port, Charset charset, int... addresses) {
        this.port = port;
        this.charset = charset;
        for (int a : addresses) {
            panels.put(a, new Panel(a));
        }
        this.thread = new Thread(this::run, "display-emulator");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Displays with the given addresses on the far end of a pseudo-terminal (a socat link). */
    static DisplayEmulator onPty(Path link, Charset charset, int... addresses) {
        SerialPort port = SerialPort.getCommPort(link.toString());
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 50, 0);
        if (!port.openPort()) {
            throw new IllegalStateException("cannot open " + link);
        }
        return new DisplayEmulator(port, charset, addresses);
    }

    Panel panel(int address) {
        return panels.get(address);
    }

    /** Sends bytes nobody asked for (line noise). */
    void sendGarbage(byte[] bytes) {
        port.writeBytes(bytes, bytes.length);
    }

    private void run() {
        byte[] buf = new byte[1024];
        while (!closed) {
            int n = port.readBytes(buf, buf.length);
            if (n < 0) {
                return; // the pseudo-terminal is gone
            }
            if (n > 0) {
                feed(buf, n);
            }
        }
    }

    private void feed(byte[] buf, int n) {
        pending.write(buf, 0, n);
        byte[] b = pending.toByteArray();
        int i = 0;
        while (i < b.length) {
            if ((b[i] & 0xFF) != Frames.STX) {
                i++; // not a frame start: resynchronise
                continue;
            }
            if (b.length - i < 4) {
                break; // wait for the length
            }
            int len = b[i + 3] & 0xFF;
            if (len > Frames.MAX_DATA) {
                badFrames.incrementAndGet();
                i++;
                continue;
            }
            if (b.length - i < len + 6) {
                break; // wait for the rest
            }
            int addr = b[i + 1] & 0xFF;
            boolean good = (b[i + 5 + len] & 0xFF) == Frames.ETX
                    && Frames.sum(b, i + 1, i + 4 + len) == (b[i + 4 + len] & 0xFF);
            Panel p = panels.get(addr);
            if (!good) {
                badFrames.incrementAndGet();
                if (p != null && p.powered) {
                    answer(p, false);
                }
                i++;
                continue;
            }
            if (p != null && p.powered) {
                handle(p, b[i + 2] & 0xFF, Arrays.copyOfRange(b, i + 4, i + 4 + len));
            }
            i += len + 6;
        }
        pending.reset();
        pending.write(b, i, b.length - i);
    }

    private void handle(Panel p, int command, byte[] data) {
        if (p.nakNext) {
            p.nakNext = false;
            answer(p, false);
            return;
        }
        if (command == Frames.CMD_SHOW && data.length >= 1) {
            String text = new String(data, 1, data.length - 1, charset);
            p.shown.add(new Content(text, (data[0] & Frames.ATTR_BLINK) != 0));
            p.blank = false;
        } else if (command == Frames.CMD_POLL) {
            p.polls.incrementAndGet();
        } else {
            badFrames.incrementAndGet();
        }
        answer(p, true);
    }

    private void answer(Panel p, boolean ack) {
        byte[] a = Frames.answer(p.address, ack, (p.blank ? Frames.STATUS_BLANK : 0) | (p.fault ? Frames.STATUS_FAULT : 0));
        if (p.damagedLeft.getAndUpdate(v -> Math.max(0, v - 1)) > 0) {
            switch (p.damage) {
                case BAD_CHECKSUM -> a[4] ^= 0x5A;
                case TRUNCATED -> a = Arrays.copyOf(a, 3);
                case WRONG_ADDRESS -> a = Frames.answer(p.address + 100, ack, 0);
                case NONE -> {
                }
            }
        }
        port.writeBytes(a, a.length);
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        port.closePort();
    }
}
