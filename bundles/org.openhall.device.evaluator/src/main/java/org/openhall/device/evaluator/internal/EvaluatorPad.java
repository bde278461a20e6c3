package org.openhall.device.evaluator.internal;

import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.openhall.api.device.DeviceKinds;
import org.openhall.api.device.DeviceState;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.Evaluation;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.openhall.api.queue.WindowView;
import org.openhall.device.frames.BusDevice;
import org.openhall.device.frames.EvaluationRequest;
import org.openhall.device.frames.Frame68;
import org.openhall.device.frames.Presses;
import org.openhall.device.frames.Texts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluator pad driver (评价器, R7), free of OSGi so that tests drive it directly.
 *
 * <p>When a transaction ends at its window ({@code service.finished}) the pad is armed for that
 * ticket: it is sent the ticket, the staff member's id and name and the prompt, with a token.
 * The citizen's key (5 非常满意 … 1 非常不满意, with the token the pad shows) becomes one
 * {@link HallQueue#evaluate} by the actor {@code DEVICE:<id>}; the pad is then thanked and
 * disarmed. No key within the timeout: the pad is cleared and nothing is sent ("not rated", never
 * a default). Presses while not armed, with a stale token, or after the rating are ignored and
 * counted; a press the pad repeats because its acknowledgement was lost is taken once. Nothing
 * about the citizen is sent or kept (R16). Everything runs on the pad's own thread.
 */
final class EvaluatorPad extends BusDevice {

    private static final Logger LOG = LoggerFactory.getLogger(EvaluatorPad.class);
    static final Charset GB18030 = Charset.forName("GB18030");

    /** Master → pad: poll, DATA = [ACK]; answer [] or [SEQ, LEVEL, TOKEN]. */
    static final int POLL = 0x20;
    /** Master → pad: arm, DATA = [TOKEN, SECONDS, TEXT (GB18030, lines separated by 0A)]. */
    static final int ARM = 0x21;
    /** Master → pad: clear the display, DATA = [TEXT (GB18030), possibly empty]. */
    static final int CLEAR = 0x22;
    static final int MAX_TEXT = 240;

    /** What the pad is armed for. */
    record Armed(String ticket, String staffId, String staffName, int token, Instant until) {
    }

    private final Supplier<HallQueue> queue;
    private final Texts texts;
    private final Duration timeout;
    private final Presses presses;
    private final AtomicLong armedCount = new AtomicLong();
    private final AtomicLong rated = new AtomicLong();
    private final AtomicLong notRated = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong repeats = new AtomicLong();
    // The pad's thread only:
    private volatile Armed armed;
    private Armed lastFinished;
    private String lastRatedTicket;
    private ScheduledFuture<?> expiry;
    private int nextToken = 1;
    /** Whether the pad confirmed the last ARM; if not, it is sent again when the pad answers again. */
    private boolean armShown;

    EvaluatorPad(Settings settings, Clock clock, Consumer<DeviceState> listener, Supplier<HallQueue> queue, Texts texts,
            Duration timeout, java.nio.file.Path pressStore) {
        super(DeviceKinds.EVALUATOR, settings, clock, listener);
        this.queue = queue;
        this.texts = texts;
        this.timeout = timeout;
        this.presses = new Presses(settings.id(), clock.millis(), pressStore);
    }

    @Override
    protected int pollCommand() {
        return POLL;
    }

    @Override
    protected byte[] pollData() {
        return new byte[] { (byte) presses.acknowledge() };
    }

    @Override
    protected Map<String, Long> ownCounters() {
        return Map.of("armed", armedCount.get(), "rated", rated.get(), "notRated", notRated.get(), "ignored", ignored.get(),
                "refused", refused.get(), "repeats", repeats.get());
    }

    /**
     * A queue event ({@code service.finished}) or a keypad's evaluation request, by its
     * properties; anything for another window is ignored. Returns at once (Event Admin thread).
     */
    void onEvent(String topic, Function<String, Object> property) {
        Object window = property.apply(QueueEvents.WINDOW);
        if (window == null || !window.toString().equals(windowId())) {
            return;
        }
        if (QueueEvents.topic(QueueEvents.SERVICE_FINISHED).equals(topic)) {
            Object ticket = property.apply(QueueEvents.TICKET);
            Object staff = property.apply(QueueEvents.STAFF);
            if (ticket != null) {
                later(() -> finished(ticket.toString(), staff == null ? null : staff.toString()));
            }
        } else if (EvaluationRequest.TOPIC.equals(topic)) {
            later(this::requested);
        }
    }

    /** What the pad is armed for now, or null (read by tests). */
    Armed armed() {
        return armed;
    }

    private void finished(String ticket, String staffId) {
        String staffName = staffName(staffId);
        Armed a = new Armed(ticket, staffId, staffName, token(), clock.instant().plus(timeout));
        lastFinished = a;
        arm(a);
    }

    private void requested() {
        Armed a = armed;
        if (a != null) {
            LOG.info("Evaluator {} at window {}: asked to prompt again for {}", id(), windowId(), a.ticket());
            send(a);
            return;
        }
        Armed last = lastFinished;
        if (last != null && !last.ticket().equals(lastRatedTicket) && clock.instant().isBefore(last.until())) {
            LOG.info("Evaluator {} at window {}: armed again for {} on request", id(), windowId(), last.ticket());
            arm(new Armed(last.ticket(), last.staffId(), last.staffName(), token(), last.until()));
        } else {
            LOG.info("Evaluator {} at window {}: evaluation requested, but no transaction can be rated now", id(), windowId());
        }
    }

    private int token() {
        int t = nextToken;
        nextToken = nextToken == 255 ? 1 : nextToken + 1;
        return t;
    }

    private void arm(Armed a) {
        if (expiry != null) {
            expiry.cancel(false);
        }
        armed = a;
        armedCount.incrementAndGet();
        Duration left = Duration.between(clock.instant(), a.until());
        expiry = schedule(() -> expire(a), left.isNegative() ? Duration.ZERO : left);
        LOG.info("Evaluator {} at window {} armed for {} (staff {}) for {} s", id(), windowId(), a.ticket(), a.staffId(),
                left.toSeconds());
        send(a);
    }

    private void send(Armed a) {
        long seconds = Math.max(0, Math.min(255, Duration.between(clock.instant(), a.until()).toSeconds()));
        String staff = a.staffId() == null ? "" : texts.get("staff", a.staffId(), a.staffName() == null ? "" : a.staffName());
        byte[] text = fit(a.ticket() + "\n" + staff + "\n" + texts.get("prompt"), MAX_TEXT);
        byte[] data = new byte[text.length + 2];
        data[0] = (byte) a.token();
        data[1] = (byte) seconds;
        System.arraycopy(text, 0, data, 2, text.length);
        armShown = request(ARM, data) != null;
    }

    @Override
    protected void cameOnline() {
        Armed a = armed;
        if (a != null && !armShown && clock.instant().isBefore(a.until())) {
            LOG.info("Evaluator {} at window {} answers again: armed for {} again", id(), windowId(), a.ticket());
            send(a);
        }
    }

    private void expire(Armed a) {
        if (armed != a) {
            return;
        }
        armed = null;
        notRated.incrementAndGet();
        // R7: not rated; nothing goes to the core, never a default rating.
        LOG.info("Evaluator {} at window {}: {} not rated within {} s", id(), windowId(), a.ticket(), timeout.toSeconds());
        request(CLEAR, new byte[0]);
    }

    @Override
    protected void answered(Frame68.Frame answer) {
        if (answer.length() == 0) {
            return;
        }
        if (answer.length() < 3 || answer.at(0) == 0) {
            traffic().garbledFrame();
            LOG.debug("Evaluator {}: malformed key answer {}", id(), answer);
            return;
        }
        int seq = answer.at(0);
        int level = answer.at(1);
        int token = answer.at(2);
        Presses.Press press = presses.press(seq);
        if (press.repeat()) {
            repeats.incrementAndGet();
            return; // taken already; this poll's ACK tells the pad
        }
        Armed a = armed;
        if (a == null || a.token() != token) {
            ignored.incrementAndGet();
            LOG.info("Evaluator {} at window {}: key {} ignored, {}", id(), windowId(), level,
                    a == null ? (lastRatedTicket != null ? "already rated " + lastRatedTicket : "not armed") : "stale token " + token);
            return;
        }
        if (level < Evaluation.LOWEST || level > Evaluation.HIGHEST) {
            ignored.incrementAndGet();
            LOG.info("Evaluator {} at window {}: key {} is not a level 1..5, ignored", id(), windowId(), level);
            return;
        }
        HallQueue q = queue.get();
        if (q == null) {
            refused.incrementAndGet();
            LOG.warn("Evaluator {} at window {}: rating of {} lost, the queue core is not there", id(), windowId(), a.ticket());
            return; // stays armed: another press may get through
        }
        Result<Evaluation> r = q.evaluate(Request.by(Actor.device(id()), press.requestId()), windowId(), level);
        if (r instanceof Result.Err<Evaluation> err) {
            refused.incrementAndGet();
            LOG.info("Evaluator {} at window {}: rating {} of {} refused: {} {}", id(), windowId(), level, a.ticket(),
                    err.error().code(), err.error().message());
            if (err.error().code() == ErrorCode.UNAVAILABLE) {
                return; // stays armed
            }
            disarm(new byte[0]);
            return;
        }
        rated.incrementAndGet();
        lastRatedTicket = a.ticket();
        LOG.info("Evaluator {} at window {}: {} rated {}", id(), windowId(), a.ticket(), level);
        disarm(fit(texts.get("thanks"), MAX_TEXT));
    }

    private void disarm(byte[] text) {
        armed = null;
        if (expiry != null) {
            expiry.cancel(false);
            expiry = null;
        }
        request(CLEAR, text);
    }

    private String staffName(String staffId) {
        HallQueue q = queue.get();
        if (q == null || staffId == null) {
            return null;
        }
        try {
            for (WindowView w : q.snapshot().windows()) {
                if (staffId.equals(w.staffId())) {
                    return w.staffName();
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("Evaluator {}: no snapshot for the staff name", id(), e);
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
}
