package org.openhall.device.display.internal;

import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.openhall.api.device.DeviceDetail;
import org.openhall.api.device.DeviceState;
import org.openhall.api.device.DeviceStatus;
import org.openhall.device.serial.Counters;
import org.openhall.device.serial.DeviceLink;
import org.openhall.device.serial.Endpoint;
import org.openhall.device.serial.LinkException;
import org.openhall.device.serial.LinkSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The window display driver, free of OSGi so that tests drive it directly.
 *
 * <p>One thread per display ({@code openhall-display-<id>}, daemon) asks its content source what
 * the display should show, sends it when it differs from what the display acknowledged last, and
 * otherwise polls the display's status every poll interval. Every frame is answered by a
 * fixed-length ACK ({@link Frames}); no valid answer after the configured attempts makes the
 * display {@code OFFLINE} ({@code NO_ANSWER}, or {@code GARBLED} when it answered only with
 * damaged frames), a port that is gone makes it {@code OFFLINE} ({@code NO_PORT}). Whatever made
 * it OFFLINE, its content counts as lost: the first frame after that is the current content, so a
 * display that comes back (power cut, cable) shows the right text at once. A display that says it
 * is blank since power-up is sent its content at once as well.
 *
 * <p>Requests go through the shared transport: a display that stops answering costs the others
 * on its bus at most its own timeout × attempts per request; while it is OFFLINE it is tried with
 * one attempt per poll.
 */
public final class WindowDisplay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WindowDisplay.class);

    /** Settings of a display. */
    public record Settings(String id, LinkSpec link, int address, Duration pollInterval, Duration answerTimeout,
            int attempts, Charset charset) {
    }

    static final String NOT_YET = "not connected yet";

    private final Settings settings;
    private final Clock clock;
    private final Consumer<DeviceState> listener;
    private final Supplier<Content> source;
    private final ScheduledThreadPoolExecutor worker;
    private final Endpoint endpoint;
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private final AtomicLong shown = new AtomicLong();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong naks = new AtomicLong();
    private final AtomicLong resends = new AtomicLong();
    private volatile DeviceState state;
    private volatile boolean linkUp;
    /** What the display should show, from the source; null until the source knows. */
    private volatile Content wanted;
    /** What the display acknowledged last; null when unknown (never sent, or the display was lost). */
    private volatile Content acked;
    /** Send the content even if acknowledged already (only touched on the display's thread). */
    private boolean force;
    /** The content last checked for its encoding (only touched on the display's thread). */
    private Content encodingChecked;

    /**
     * Starts the driver; never blocks (the port is opened by the transport's thread).
     *
     * @param source what the display should show now, or null to keep what it shows; called on
     *               the display's thread
     * @throws IllegalStateException when the port is owned with other line settings or the id is
     *                               attached already
     */
    public WindowDisplay(Settings settings, Clock clock, Consumer<DeviceState> listener, Supplier<Content> source) {
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
        this.source = source;
        this.state = new DeviceState(settings.id(), DeviceStatus.OFFLINE, DeviceDetail.NO_PORT, NOT_YET, clock.instant());
        this.worker = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "openhall-display-" + settings.id());
            t.setDaemon(true);
            return t;
        });
        worker.setRemoveOnCancelPolicy(true);
        worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        DeviceState initial = state;
        // The first status is a status too: consumers learn of the device before anything changes.
        worker.execute(() -> {
            if (state == initial) {
                notify(initial);
            }
        });
        try {
            this.endpoint = DeviceLink.attach(settings.id(), settings.link(), new DeviceLink.Listener() {
                @Override
                public void linkUp(String description) {
                    linkUp = true;
                    refresh();
                }

                @Override
                public void linkDown(String reason) {
                    linkUp = false;
                    acked = null;
                    set(DeviceStatus.OFFLINE, DeviceDetail.NO_PORT, reason);
                }
            });
        } catch (RuntimeException e) {
            worker.shutdownNow();
            throw e;
        }
        long every = settings.pollInterval().toMillis();
        worker.scheduleWithFixedDelay(() -> tick(true), every, every, TimeUnit.MILLISECONDS);
    }

    public String id() {
        return settings.id();
    }

    public Settings settings() {
        return settings;
    }

    public DeviceState state() {
        return state;
    }

    /** What the display acknowledged last, or null. */
    Content acknowledged() {
        return acked;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** This display's traffic counters and its own: content frames shown, polls, NAKs, resends. */
    public Map<String, Long> counters() {
        Counters c = endpoint.counters();
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("bytesOut", c.bytesOut());
        m.put("bytesIn", c.bytesIn());
        m.put("framesOut", c.framesOut());
        m.put("framesIn", c.framesIn());
        m.put("errors", c.errors());
        m.put("garbled", c.garbled());
        m.put("shown", shown.get());
        m.put("polls", polls.get());
        m.put("naks", naks.get());
        m.put("resends", resends.get());
        return m;
    }

    /** Asks the source again and sends what changed, soon, on the display's thread; never blocks. */
    public void refresh() {
        if (refreshQueued.compareAndSet(false, true)) {
            try {
                worker.execute(() -> {
                    refreshQueued.set(false);
                    tick(false);
                });
            } catch (RejectedExecutionException closing) {
                refreshQueued.set(false);
            }
        }
    }

    /**
     * Sends the current content again even when the display has it: a call or recall starts its
     * blinking afresh (R14). Never blocks.
     */
    public void resend() {
        try {
            worker.execute(() -> {
                force = true;
                tick(false);
            });
        } catch (RejectedExecutionException closing) {
            // closing: nothing more to show
        }
    }

    /** As {@link #refresh()}, after a delay (the end of a blinking time). */
    public void refreshAfter(Duration delay) {
        try {
            worker.schedule(() -> tick(false), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // closing: nothing more to show
        }
    }

    /** One round: take the wanted content, send it if the display does not have it, else poll. */
    private void tick(boolean poll) {
        try {
            Content w = source.get();
            if (w != null) {
                wanted = w;
            }
        } catch (RuntimeException e) {
            LOG.warn("Display {}: content source failed; it keeps its content", settings.id(), e);
        }
        if (!linkUp) {
            return;
        }
        Content w = wanted;
        if (w != null && (force || !w.equals(acked))) {
            force = false;
            send(w);
        } else if (poll || state.status() != DeviceStatus.ONLINE) {
            polls.incrementAndGet();
            Frames.Answer a = exchange(Frames.poll(settings.address()), "status poll");
            if (a != null && a.blank() && w != null) {
                // Powered up again without our noticing (a short power cut between two polls).
                LOG.info("Display {} is blank since power-up: content re-sent", settings.id());
                acked = null;
                send(w);
            }
        }
    }

    private void send(Content c) {
        boolean lost = acked == null && shown.get() > 0;
        if (!c.equals(encodingChecked) && !Frames.encodable(c.text(), settings.charset())) {
            // A staff name with a character GB2312 has not (e.g. 喆, 堃): shown as '?'.
            LOG.warn("Display {}: '{}' has characters {} cannot encode, shown as '?' (encoding=GB18030 if the display's font has them)",
                    settings.id(), c.text(), settings.charset().name());
        }
        encodingChecked = c;
        Frames.Answer a = exchange(Frames.show(settings.address(), c.text(), c.blink(), settings.charset()), "content " + c);
        if (a != null) {
            acked = c;
            shown.incrementAndGet();
            if (lost) {
                resends.incrementAndGet();
            }
            LOG.debug("Display {} shows {}", settings.id(), c);
        }
    }

    /**
     * Sends a frame and waits for its answer, attempts times in all (once while OFFLINE); updates
     * the state. Returns the ACK, or null when none came.
     */
    private Frames.Answer exchange(byte[] frame, String what) {
        int attempts = state.status() == DeviceStatus.OFFLINE ? 1 : Math.max(1, settings.attempts());
        String failure = DeviceDetail.NO_ANSWER;
        String text = "no answer to " + what;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            byte[] raw;
            try {
                raw = endpoint.transact(frame, Frames.ANSWER_LENGTH, settings.answerTimeout(), 1);
            } catch (LinkException e) {
                if (e.reason() == LinkException.Reason.TIMEOUT) {
                    failure = DeviceDetail.NO_ANSWER;
                    text = "no answer to " + what;
                    continue;
                }
                if (e.reason() == LinkException.Reason.DOWN) {
                    acked = null;
                    set(DeviceStatus.OFFLINE, DeviceDetail.NO_PORT, e.getMessage());
                }
                return null;
            }
            Frames.Answer a = Frames.decode(raw, settings.address());
            if (a == null) {
                // A damaged answer, or another address's: dropped and counted; try again.
                endpoint.counters().garbledFrame();
                LOG.debug("Display {}: garbled answer to {}", settings.id(), what);
                failure = DeviceDetail.GARBLED;
                text = "garbled answers to " + what;
                continue;
            }
            if (!a.ack()) {
                naks.incrementAndGet();
                failure = DeviceDetail.GARBLED;
                text = "NAK: the display received " + what + " damaged";
                continue;
            }
            if (a.fault()) {
                set(DeviceStatus.FAULT, DeviceDetail.OTHER, "the display reports an LED module fault");
            } else {
                set(DeviceStatus.ONLINE, DeviceDetail.NONE, "acknowledged");
            }
            return a;
        }
        acked = null;
        set(DeviceStatus.OFFLINE, failure, text + " (" + attempts + " attempts of " + settings.answerTimeout().toMillis()
                + " ms)");
        return null;
    }

    private synchronized void set(DeviceStatus status, String detail, String text) {
        DeviceState next = new DeviceState(settings.id(), status, detail, text, clock.instant());
        // The first failure to connect replaces "not connected yet" with the reason, once.
        if (next.sameAs(state) && !(NOT_YET.equals(state.text()) && !NOT_YET.equals(text))) {
            return;
        }
        state = next;
        if (status == DeviceStatus.ONLINE) {
            LOG.info("Display {} is ONLINE", settings.id());
        } else {
            LOG.warn("Display {} is {} ({}): {}", settings.id(), status, detail, text);
        }
        notify(next);
    }

    private void notify(DeviceState s) {
        try {
            listener.accept(s);
        } catch (RuntimeException e) {
            LOG.warn("Display {}: status listener failed", settings.id(), e);
        }
    }

    /** Stops the display's thread, waits for it, and detaches from the link. */
    @Override
    public void close() {
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Display {}: thread did not end within 5 s", settings.id());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        endpoint.close();
        LOG.info("Display {} closed ({}): {}", settings.id(), state.status(), endpoint.counters());
    }
}
