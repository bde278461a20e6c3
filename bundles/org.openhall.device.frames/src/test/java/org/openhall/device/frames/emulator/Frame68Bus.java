package org.openhall.device.frames.emulator;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.openhall.device.frames.Frame68;

import com.fazecast.jSerialComm.SerialPort;

/**
 * The far end of an RS-485 bus for tests, on a socat pseudo-terminal: reads the master's
 * {@link Frame68} frames and lets the emulated device at each address answer. Faults the test
 * queues for an address spoil that device's next answer in one of the ways a real bus does.
 * Shared by the keypad's and the evaluator's tests through this module's test jar.
 */
public final class Frame68Bus implements AutoCloseable {

    /** An emulated device: its answer to a request, or null for none. */
    public interface Device {
        Frame68.Frame answer(Frame68.Frame request);
    }

    public enum Fault {
        /** The checksum byte is wrong. */
        BAD_CHECKSUM,
        /** Only the first half of the frame arrives. */
        TRUNCATED,
        /** The answer comes from another address. */
        WRONG_ADDRESS,
        /** The answer has a command nobody asked for. */
        UNKNOWN_COMMAND,
        /** Line noise before a good answer. */
        NOISE
    }

    public final Map<Integer, Device> devices = new ConcurrentHashMap<>();
    public final Set<Integer> silent = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Deque<Fault>> faults = new ConcurrentHashMap<>();
    private final SerialPort port;
    private final Thread thread = new Thread(this::run, "frame68-bus-emulator");
    private volatile boolean closed;

    public Frame68Bus(Path link) {
        port = SerialPort.getCommPort(link.toString());
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 50, 0);
        if (!port.openPort()) {
            throw new IllegalStateException("cannot open " + link);
        }
        thread.setDaemon(true);
        thread.start();
    }

    public void fault(int address, Fault... next) {
        Deque<Fault> q = faults.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (q) {
            q.addAll(Arrays.asList(next));
        }
    }

    private void run() {
        byte[] buf = new byte[256];
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        while (!closed) {
            int n = port.readBytes(buf, buf.length);
            if (n <= 0) {
                continue;
            }
            pending.write(buf, 0, n);
            byte[] all = pending.toByteArray();
            int used = 0;
            while (true) {
                int start = used;
                while (start + 1 < all.length && !((all[start] & 0xFF) == 0xFF && (all[start + 1] & 0xFF) == 0x68)) {
                    start++;
                }
                if (start + 5 > all.length) {
                    used = Math.min(start, all.length);
                    break;
                }
                int total = (all[start + 2] & 0xFF) + 7;
                if (start + total > all.length) {
                    used = start;
                    break;
                }
                byte[] frame = Arrays.copyOfRange(all, start, start + total);
                used = start + total;
                Frame68.Frame request;
                try {
                    request = Frame68.decode(frame);
                } catch (IllegalArgumentException e) {
                    used = start + 1;
                    continue;
                }
                handle(request);
            }
            pending.reset();
            pending.write(all, used, all.length - used);
        }
    }

    private void handle(Frame68.Frame request) {
        Device d = devices.get(request.address());
        if (d == null || silent.contains(request.address())) {
            return;
        }
        Frame68.Frame answer = d.answer(request);
        if (answer == null) {
            return;
        }
        Fault fault = null;
        Deque<Fault> q = faults.get(request.address());
        if (q != null) {
            synchronized (q) {
                fault = q.poll();
            }
        }
        byte[] out = Frame68.encode(answer.address(), answer.command(), answer.data());
        if (fault != null) {
            switch (fault) {
            case BAD_CHECKSUM -> out[out.length - 2] ^= 0x21;
            case TRUNCATED -> out = Arrays.copyOf(out, out.length / 2);
            case WRONG_ADDRESS -> out = Frame68.encode(answer.address() + 100, answer.command(), answer.data());
            case UNKNOWN_COMMAND -> out = Frame68.encode(answer.address(), 0xEE, answer.data());
            case NOISE -> {
                byte[] noisy = new byte[out.length + 4];
                noisy[0] = 0x13;
                noisy[1] = 0x68;
                noisy[2] = 0x00;
                noisy[3] = 0x7F;
                System.arraycopy(out, 0, noisy, 4, out.length);
                out = noisy;
            }
            }
        }
        port.writeBytes(out, out.length);
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(2000);
        port.closePort();
    }
}
