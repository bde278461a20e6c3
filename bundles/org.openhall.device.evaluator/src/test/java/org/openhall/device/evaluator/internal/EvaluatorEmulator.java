package org.openhall.device.evaluator.internal;

import org.openhall.device.frames.emulator.Frame68Bus;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.openhall.device.frames.Frame68;

/**
 * An evaluator pad as its vendor builds it (docs/devices.md, "Evaluator"): shows what it is
 * armed with (ticket, staff, prompt) and the token; a key press waits, numbered by SEQ, with the
 * token shown at the time, until the master acknowledges it in a poll.
 */
final class EvaluatorEmulator implements Frame68Bus.Device {

    record Press(int seq, int level, int token) {
    }

    /** One thing the display showed: armed (token, seconds, lines) or cleared (text). */
    record Shown(boolean armed, int token, int seconds, List<String> lines) {
    }

    final int address;
    final List<Shown> display = new CopyOnWriteArrayList<>();
    final AtomicInteger lostAcks = new AtomicInteger();
    private final Deque<Press> pending = new ArrayDeque<>();
    private int nextSeq = 1;
    private volatile int token;

    EvaluatorEmulator(int address) {
        this.address = address;
    }

    /** The citizen presses a level key (with whatever token is shown, 0 when none). */
    synchronized Press press(int level) {
        return press(level, token);
    }

    synchronized Press press(int level, int withToken) {
        Press p = new Press(nextSeq, level, withToken);
        nextSeq = nextSeq == 255 ? 1 : nextSeq + 1;
        pending.add(p);
        return p;
    }

    synchronized boolean idle() {
        return pending.isEmpty();
    }

    boolean armed() {
        return token != 0;
    }

    Shown last() {
        return display.isEmpty() ? null : display.get(display.size() - 1);
    }

    @Override
    public synchronized Frame68.Frame answer(Frame68.Frame request) {
        byte[] d = request.data();
        switch (request.command()) {
        case EvaluatorPad.POLL -> {
            Press head = pending.peek();
            if (head != null && head.seq() == (d[0] & 0xFF)) {
                if (lostAcks.get() > 0) {
                    lostAcks.decrementAndGet();
                } else {
                    pending.poll();
                    head = pending.peek();
                }
            }
            return new Frame68.Frame(address, EvaluatorPad.POLL | 0x80,
                    head == null ? new byte[0] : new byte[] { (byte) head.seq(), (byte) head.level(), (byte) head.token() });
        }
        case EvaluatorPad.ARM -> {
            int shown = d[0] & 0xFF;
            String text = new String(Arrays.copyOfRange(d, 2, d.length), EvaluatorPad.GB18030);
            // Record what is shown before armed() turns true: a test that waited for armed()
            // reads last() at once.
            display.add(new Shown(true, shown, d[1] & 0xFF, List.of(text.split("\n", -1))));
            token = shown;
            return new Frame68.Frame(address, EvaluatorPad.ARM | 0x80, new byte[0]);
        }
        case EvaluatorPad.CLEAR -> {
            display.add(new Shown(false, 0, 0, List.of(new String(d, EvaluatorPad.GB18030))));
            token = 0;
            return new Frame68.Frame(address, EvaluatorPad.CLEAR | 0x80, new byte[0]);
        }
        default -> {
            return null;
        }
        }
    }
}
