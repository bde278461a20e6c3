package org.openhall.device.keypad.internal;

import org.openhall.device.frames.emulator.Frame68Bus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.openhall.device.frames.Frame68;

/**
 * A caller keypad as its vendor builds it (docs/devices.md, "Caller keypad"): key presses wait,
 * numbered by SEQ, until the master acknowledges them (ACK in POLL or SHOW); what SHOW sends is
 * recorded as the display.
 */
final class KeypadEmulator implements Frame68Bus.Device {

    record Press(int seq, int key, String input) {
    }

    record Shown(boolean error, String text) {
    }

    final int address;
    final List<Shown> display = new CopyOnWriteArrayList<>();
    final AtomicInteger polls = new AtomicInteger();
    /** Acknowledgements to ignore, as when they were lost on the line: the press is sent again. */
    final AtomicInteger lostAcks = new AtomicInteger();
    private final Deque<Press> pending = new ArrayDeque<>();
    private int nextSeq = 1;

    KeypadEmulator(int address) {
        this.address = address;
    }

    synchronized Press press(int key, String input) {
        Press p = new Press(nextSeq, key, input);
        nextSeq = nextSeq == 255 ? 1 : nextSeq + 1;
        pending.add(p);
        return p;
    }

    Press press(int key) {
        return press(key, "");
    }

    synchronized boolean idle() {
        return pending.isEmpty();
    }

    Shown last() {
        return display.isEmpty() ? null : display.get(display.size() - 1);
    }

    private synchronized void ack(int seq) {
        Press head = pending.peek();
        if (head != null && head.seq() == seq) {
            if (lostAcks.get() > 0) {
                lostAcks.decrementAndGet();
                return;
            }
            pending.poll();
        }
    }

    @Override
    public synchronized Frame68.Frame answer(Frame68.Frame request) {
        switch (request.command()) {
        case Keys.POLL -> {
            polls.incrementAndGet();
            ack(request.at(0));
            Press head = pending.peek();
            if (head == null) {
                return new Frame68.Frame(address, Keys.POLL | 0x80, new byte[0]);
            }
            byte[] in = head.input().getBytes(StandardCharsets.US_ASCII);
            byte[] data = new byte[in.length + 2];
            data[0] = (byte) head.seq();
            data[1] = (byte) head.key();
            System.arraycopy(in, 0, data, 2, in.length);
            return new Frame68.Frame(address, Keys.POLL | 0x80, data);
        }
        case Keys.SHOW -> {
            byte[] d = request.data();
            ack(d[0] & 0xFF);
            display.add(new Shown(d[1] == Keys.SHOW_ERROR, new String(Arrays.copyOfRange(d, 2, d.length), CallerKeypad.GB18030)));
            return new Frame68.Frame(address, Keys.SHOW | 0x80, new byte[0]);
        }
        default -> {
            return null; // a real keypad ignores commands it does not know
        }
        }
    }
}
