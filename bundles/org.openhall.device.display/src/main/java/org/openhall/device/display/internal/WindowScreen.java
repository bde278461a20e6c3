package org.openhall.device.display.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Supplier;

import org.openhall.api.queue.HallSnapshot;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.WindowState;
import org.openhall.api.queue.WindowView;

/**
 * What one window's display should show: the window's state from the core's snapshot, plus the
 * blinking of a ticket just called or recalled (R14), which only the events tell. The queue's
 * events trigger a refresh; the content itself is always taken from the snapshot, so a missed or
 * reordered event cannot leave a wrong text on the display (the periodic poll takes it again).
 */
final class WindowScreen {

    private final String windowId;
    private final Texts texts;
    private final Duration blink;
    private final Clock clock;
    private final Supplier<HallSnapshot> snapshots;
    private volatile WindowDisplay display;
    private volatile String blinkTicket;
    private volatile Instant blinkUntil = Instant.MIN;

    /**
     * @param snapshots the core's snapshot, or null while there is no core (the display then keeps
     *                  what it shows)
     */
    WindowScreen(String windowId, Texts texts, Duration blink, Clock clock, Supplier<HallSnapshot> snapshots) {
        this.windowId = windowId;
        this.texts = texts;
        this.blink = blink;
        this.clock = clock;
        this.snapshots = snapshots;
    }

    void attach(WindowDisplay display) {
        this.display = display;
    }

    String windowId() {
        return windowId;
    }

    Texts texts() {
        return texts;
    }

    /**
     * A queue event (its properties by name). Returns at once: the display's own thread does the
     * work. Events of other windows are ignored.
     */
    void handle(Function<String, Object> property) {
        WindowDisplay d = display;
        if (d == null) {
            return;
        }
        Object type = property.apply(QueueEvents.TYPE);
        boolean mine = windowId.equals(property.apply(QueueEvents.WINDOW))
                || windowId.equals(property.apply(QueueEvents.FROM_WINDOW));
        if (mine && (QueueEvents.TICKET_CALLED.equals(type) || QueueEvents.TICKET_RECALLED.equals(type))
                && property.apply(QueueEvents.TICKET) instanceof String ticket) {
            blinkTicket = ticket;
            blinkUntil = clock.instant().plus(blink);
            d.resend();
            if (!blink.isZero()) {
                d.refreshAfter(blink.plusMillis(20));
            }
        } else if (mine || QueueEvents.DAY_STARTED.equals(type)) {
            d.refresh();
        }
    }

    /** What the display should show now, or null to keep its content (no core). */
    Content content() {
        HallSnapshot s = snapshots.get();
        if (s == null) {
            return null;
        }
        WindowView v = s.windows().stream().filter(w -> windowId.equals(w.id())).findFirst().orElse(null);
        boolean blinking = v != null && v.state() == WindowState.CALLING && v.ticketNumber() != null
                && v.ticketNumber().equals(blinkTicket) && clock.instant().isBefore(blinkUntil);
        return Planner.content(v, texts, blinking);
    }
}
