package org.openhall.device.keypad.internal;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.openhall.api.device.DeviceKinds;
import org.openhall.api.device.DeviceState;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.openhall.api.queue.TransferTarget;
import org.openhall.api.queue.WindowView;
import org.openhall.device.frames.BusDevice;
import org.openhall.device.frames.Frame68;
import org.openhall.device.frames.Presses;
import org.openhall.device.frames.Texts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller keypad driver (呼叫器), free of OSGi so that tests drive it directly.
 *
 * <p>Each poll answer with a key press becomes one {@link HallQueue} operation by the actor
 * {@code DEVICE:<id>} at the keypad's window, with a request id derived from the keypad's SEQ
 * ({@link Presses}): a press the keypad sends again because the acknowledgement was lost gets the
 * core's first answer and changes nothing. The display is then sent the window's ticket number
 * (or {@code ----}) or the error code of the refusal, which also acknowledges the press; the next
 * poll acknowledges it too. A PIN entered for sign-in (R17) is passed to the core and never logged.
 */
final class CallerKeypad extends BusDevice {

    private static final Logger LOG = LoggerFactory.getLogger(CallerKeypad.class);
    static final Charset GB18030 = Charset.forName("GB18030");
    static final String NO_TICKET = "----";

    /** Whether the display shows just the code or the code and its Chinese text (LCD keypads). */
    enum DisplayMode {
        CODE, TEXT
    }

    private final Supplier<HallQueue> queue;
    private final BiConsumer<String, String> evaluationRequested;
    private final Texts texts;
    private final DisplayMode display;
    private final Presses presses;
    private final AtomicLong keys = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong repeats = new AtomicLong();
    private volatile String lastShown;

    /**
     * @param evaluationRequested told (window, ticket or null) when staff press "request evaluation"
     * @param pressStore          where the last key press is kept across restarts ({@link Presses}), or null
     */
    CallerKeypad(Settings settings, Clock clock, Consumer<DeviceState> listener, Supplier<HallQueue> queue,
            BiConsumer<String, String> evaluationRequested, Texts texts, DisplayMode display, java.nio.file.Path pressStore) {
        super(DeviceKinds.CALLER_KEYPAD, settings, clock, listener);
        this.queue = queue;
        this.evaluationRequested = evaluationRequested;
        this.texts = texts;
        this.display = display;
        this.presses = new Presses(settings.id(), clock.millis(), pressStore);
    }

    @Override
    protected int pollCommand() {
        return Keys.POLL;
    }

    @Override
    protected byte[] pollData() {
        return new byte[] { (byte) presses.acknowledge() };
    }

    /** What the display was sent last (for tests and the console). */
    String lastShown() {
        return lastShown;
    }

    @Override
    protected Map<String, Long> ownCounters() {
        return Map.of("keys", keys.get(), "refused", refused.get(), "repeats", repeats.get());
    }

    @Override
    protected void answered(Frame68.Frame answer) {
        if (answer.length() == 0) {
            return; // no key pressed
        }
        if (answer.length() < 2 || answer.at(0) == 0) {
            traffic().garbledFrame();
            LOG.debug("Keypad {}: malformed key answer {}", id(), answer);
            return;
        }
        int seq = answer.at(0);
        int key = answer.at(1);
        String input = new String(Arrays.copyOfRange(answer.data(), 2, answer.length()), StandardCharsets.US_ASCII);
        Presses.Press press = presses.press(seq);
        if (press.repeat()) {
            repeats.incrementAndGet();
        } else {
            keys.incrementAndGet();
        }
        Shown shown = execute(key, input, Request.by(Actor.device(id()), press.requestId()), press.repeat());
        show(seq, shown);
    }

    record Shown(boolean error, String code) {
    }

    private Shown execute(int key, String input, Request request, boolean repeat) {
        String window = windowId();
        HallQueue q = queue.get();
        if (q == null) {
            refused.incrementAndGet();
            LOG.warn("Keypad {} at window {}: {} refused, the queue core is not there", id(), window, Keys.name(key));
            return new Shown(true, Keys.NO_QUEUE);
        }
        Result<?> r;
        switch (key) {
        case Keys.CALL_NEXT -> r = q.callNext(request, window);
        case Keys.RECALL -> r = q.recall(request, window);
        case Keys.START -> r = q.start(request, window);
        case Keys.FINISH -> r = q.finish(request, window, Finish.done());
        case Keys.PAUSE -> {
            boolean suspend = "2".equals(input.trim());
            r = q.pause(request, window, suspend ? PauseKind.SUSPENDED : PauseKind.BRIEF,
                    texts.get(suspend ? "pauseReasonSuspended" : "pauseReasonBrief"));
        }
        case Keys.RESUME -> r = q.resume(request, window);
        case Keys.TRANSFER -> {
            TransferTarget target = target(input);
            if (target == null) {
                return bad(key, "transfer target '" + input + "' is not CATEGORY or CATEGORY*WINDOW");
            }
            r = q.transfer(request, window, target);
        }
        case Keys.NO_SHOW -> r = q.markNoShow(request, window);
        case Keys.REQUEST_EVALUATION -> {
            String ticket = current(q);
            if (!repeat) {
                evaluationRequested.accept(window, ticket);
            }
            LOG.info("Keypad {} at window {}: evaluation requested", id(), window);
            return new Shown(false, ticket == null ? NO_TICKET : ticket);
        }
        case Keys.SIGN_IN -> {
            int star = input.indexOf('*');
            if (star <= 0 || star == input.length() - 1) {
                return bad(key, "sign-in input is not STAFF*PIN");
            }
            // R17: the staff member's own id and PIN; the PIN is never logged.
            r = q.openWindow(request, window, input.substring(0, star), input.substring(star + 1));
        }
        case Keys.SIGN_OUT -> r = q.closeWindow(request, window);
        default -> {
            refused.incrementAndGet();
            LOG.warn("Keypad {} at window {}: {}", id(), window, Keys.name(key));
            return new Shown(true, Keys.UNKNOWN_KEY);
        }
        }
        if (r instanceof Result.Err<?> err) {
            refused.incrementAndGet();
            LOG.info("Keypad {} at window {}: {} refused: {} {}", id(), window, Keys.name(key), err.error().code(),
                    err.error().message());
            return new Shown(true, Keys.code(err.error().code()));
        }
        LOG.info("Keypad {} at window {}: {}{}", id(), window, Keys.name(key), repeat ? " (repeated press, first answer)" : "");
        String ticket = current(q);
        return new Shown(false, ticket == null ? NO_TICKET : ticket);
    }

    /**
     * A queue event (Event Admin's, by its properties): when it is about the keypad's window, the
     * display follows the window's ticket, e.g. after a call from the console or a no-show by the
     * policy. Returns at once; the display is sent from the keypad's thread, only when it changes.
     */
    void onQueueEvent(java.util.function.Function<String, Object> property) {
        Object window = property.apply(org.openhall.api.queue.QueueEvents.WINDOW);
        Object from = property.apply(org.openhall.api.queue.QueueEvents.FROM_WINDOW);
        if (windowId().equals(String.valueOf(window)) || windowId().equals(String.valueOf(from))) {
            later(this::refresh);
        }
    }

    private void refresh() {
        HallQueue q = queue.get();
        if (q == null) {
            return;
        }
        String ticket = current(q);
        String text = ticket == null ? NO_TICKET : ticket;
        if (!text.equals(lastShown)) {
            show(presses.acknowledge(), new Shown(false, text));
        }
    }

    private Shown bad(int key, String why) {
        refused.incrementAndGet();
        LOG.info("Keypad {} at window {}: {} refused: {}", id(), windowId(), Keys.name(key), why);
        return new Shown(true, Keys.BAD_INPUT);
    }

    /** CATEGORY or CATEGORY*WINDOW, as entered. */
    static TransferTarget target(String input) {
        String s = input.trim();
        int star = s.indexOf('*');
        String category = star < 0 ? s : s.substring(0, star);
        String window = star < 0 ? null : s.substring(star + 1);
        if (category.isEmpty() || window != null && window.isEmpty()) {
            return null;
        }
        return new TransferTarget(category, window);
    }

    /** The ticket called or served at the window now, or null. */
    private String current(HallQueue q) {
        for (WindowView w : q.snapshot().windows()) {
            if (w.id().equals(windowId())) {
                return w.ticketNumber();
            }
        }
        return null;
    }

    /** The text in GB18030, cut to at most {@code max} bytes without splitting a character. */
    static byte[] fit(String text, int max) {
        String s = text;
        byte[] b = s.getBytes(GB18030);
        while (b.length > max) {
            s = s.substring(0, s.offsetByCodePoints(s.length(), -1));
            b = s.getBytes(GB18030);
        }
        return b;
    }

    private void show(int seq, Shown shown) {
        String text = shown.code();
        if (display == DisplayMode.TEXT && shown.error() && texts.has(text)) {
            text = text + " " + texts.get(text);
        }
        byte[] t = fit(text, 32);
        byte[] data = new byte[t.length + 2];
        data[0] = (byte) seq;
        data[1] = (byte) (shown.error() ? Keys.SHOW_ERROR : Keys.SHOW_OK);
        System.arraycopy(t, 0, data, 2, t.length);
        lastShown = text;
        // No answer: the next poll acknowledges the press; should the keypad send it again, it
        // gets the same request id and so the same answer.
        request(Keys.SHOW, data);
    }
}
