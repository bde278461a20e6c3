package org.openhall.policy.closing.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import org.openhall.api.policy.HallView;
import org.openhall.api.policy.IssueRequest;
import org.openhall.api.policy.IssueVerdict;
import org.openhall.api.policy.WaitingTicket;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.HallPhase;
import org.openhall.api.queue.WindowState;
import org.openhall.api.queue.WindowView;

/**
 * R3 and R13: issuing stops {@code cutoff} before the hall closes; from then on a window may not
 * close while tickets issued before the cut-off wait in its categories and no other open window
 * serves them; the hall is EXTENDED while such tickets wait or are served, CLOSED when the last
 * one is done. Plain Java: the time and the opening hours come from the {@link HallView} (the
 * core's clock, weekday hours and holidays), so the rule is tested with any hall and time.
 *
 * <p>A closing time at which the hall is still open (a 24-hour day followed by another, two
 * periods that touch) is no closing: there is no cut-off before it.
 */
final class ClosingRule {

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    private final Duration cutoff;
    private final String kioskText;

    /**
     * @param cutoff    how long before closing issuing stops (zero: at closing)
     * @param kioskText text for the citizen at the kiosk (from the configuration, may be Chinese),
     *                  or empty
     */
    ClosingRule(Duration cutoff, String kioskText) {
        this.cutoff = cutoff;
        this.kioskText = kioskText == null ? "" : kioskText.trim();
    }

    Duration cutoff() {
        return cutoff;
    }

    /** The cut-off of the opening period the hall is in now, if that period really closes. */
    Optional<Instant> cutoffTime(HallView hall) {
        Optional<Instant> closing = hall.closingTime();
        if (closing.isEmpty() || hall.withinOpeningHours(closing.get())) {
            return Optional.empty();
        }
        return Optional.of(closing.get().minus(cutoff));
    }

    /** Whether the kiosks stopped issuing: outside the opening hours, or past the cut-off. */
    boolean issuingStopped(HallView hall) {
        if (!hall.withinOpeningHours(hall.now())) {
            return true;
        }
        Optional<Instant> c = cutoffTime(hall);
        return c.isPresent() && !hall.now().isBefore(c.get());
    }

    /** The issue gate: refuses with HALL_CLOSED from the cut-off to the closing time. */
    IssueVerdict check(IssueRequest request, HallView hall) {
        Optional<Instant> c = cutoffTime(hall);
        if (c.isEmpty() || hall.now().isBefore(c.get())) {
            return IssueVerdict.allow(); // outside the hours the core refuses by itself (R13)
        }
        Instant closing = c.get().plus(cutoff);
        String why = "tickets are not issued from " + local(c.get(), hall) + ", " + cutoff.toMinutes()
                + " min before closing at " + local(closing, hall)
                + "; tickets issued before are still served (R3)";
        return IssueVerdict.refuse(ErrorCode.HALL_CLOSED, kioskText.isEmpty() ? "Issuing stopped: " + why
                : kioskText + " (" + why + ")");
    }

    /**
     * The close gate: from the cut-off on, a window may not close while a ticket it could call
     * waits and no other open window (not paused) could call it. Every waiting ticket counts: from
     * the cut-off none is issued, so they are the ones issued before it; one that got in otherwise
     * (the cut-off or the hours were changed during the day) is served too, as the phase says.
     *
     * @param windowIds every window id the hall knows (the others are looked up in {@code hall})
     */
    Optional<String> refuseClose(WindowView window, HallView hall, Collection<String> windowIds) {
        if (!issuingStopped(hall)) {
            return Optional.empty(); // before the cut-off staff may sign off (shift change)
        }
        List<WindowView> others = new ArrayList<>();
        for (String id : windowIds) {
            if (!id.equals(window.id())) {
                hall.window(id).filter(ClosingRule::serving).ifPresent(others::add);
            }
        }
        int stranded = 0;
        TreeSet<String> categories = new TreeSet<>();
        for (String category : window.categories()) {
            for (WaitingTicket t : hall.waiting(category)) {
                boolean mine = t.targetWindowId() == null || t.targetWindowId().equals(window.id());
                if (mine && others.stream().noneMatch(o -> couldCall(o, t))) {
                    stranded++;
                    categories.add(category);
                }
            }
        }
        if (stranded == 0) {
            return Optional.empty();
        }
        return Optional.of("window " + window.id() + " cannot close: " + stranded + " ticket(s) issued before the"
                + " cut-off still wait in " + String.join(", ", categories)
                + " and no other open window serves them (extended service, R3)");
    }

    /**
     * The phase policy: OPEN within the hours before the cut-off; from the cut-off (or outside the
     * hours) EXTENDED while tickets wait or are at a window, else CLOSED.
     */
    HallPhase phase(HallView hall, Collection<String> windowIds) {
        if (!issuingStopped(hall)) {
            return HallPhase.OPEN;
        }
        return workLeft(hall, windowIds) ? HallPhase.EXTENDED : HallPhase.CLOSED;
    }

    /** Tickets waiting in any category, or called or served at a window. */
    static boolean workLeft(HallView hall, Collection<String> windowIds) {
        for (String category : hall.categoryIds()) {
            if (!hall.waiting(category).isEmpty()) {
                return true;
            }
        }
        for (String id : windowIds) {
            Optional<WindowView> w = hall.window(id);
            if (w.isPresent() && w.get().ticketNumber() != null) {
                return true;
            }
        }
        return false;
    }

    private static boolean serving(WindowView w) {
        return w.state() == WindowState.IDLE || w.state() == WindowState.CALLING || w.state() == WindowState.SERVING;
    }

    private static boolean couldCall(WindowView w, WaitingTicket t) {
        return w.categories().contains(t.categoryId())
                && (t.targetWindowId() == null || t.targetWindowId().equals(w.id()));
    }

    private static String local(Instant at, HallView hall) {
        LocalTime t = at.atZone(hall.zone()).toLocalTime();
        return HH_MM.format(t);
    }
}
