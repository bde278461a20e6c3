package org.openhall.device.display.internal;

import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.WindowView;

/** What a window's display shows for the window's state (R4, R12, R14). */
final class Planner {

    private Planner() {
    }

    /**
     * The content for a window.
     *
     * @param window the window as the core's snapshot has it, or null when it is not configured
     * @param blink  whether the called ticket is within its blinking time (a call or recall was
     *               just made)
     */
    static Content content(WindowView window, Texts texts, boolean blink) {
        if (window == null || window.state() == null) {
            return new Content(texts.get(Texts.CLOSED, ""), false);
        }
        String name = window.name() == null || window.name().isBlank() ? window.id() + "号窗口" : window.name();
        Content idle = new Content(texts.get(Texts.IDLE, name, nz(window.staffName()), nz(window.staffId())).strip(), false);
        return switch (window.state()) {
            case CLOSED -> new Content(texts.get(Texts.CLOSED, name), false);
            case IDLE -> idle;
            case CALLING -> window.ticketNumber() == null ? idle
                    : new Content(texts.get(Texts.CALLED, window.ticketNumber()), blink);
            case SERVING -> window.ticketNumber() == null ? idle
                    : new Content(texts.get(Texts.SERVING, window.ticketNumber()), false);
            case PAUSED -> new Content(texts.get(window.pauseKind() == PauseKind.SUSPENDED ? Texts.SUSPENDED : Texts.BRIEF),
                    false);
        };
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
