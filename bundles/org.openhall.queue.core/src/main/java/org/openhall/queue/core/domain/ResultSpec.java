package org.openhall.queue.core.domain;

import java.time.LocalDate;
import java.util.Objects;

import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.TicketView;
import org.openhall.api.queue.WindowView;

/**
 * Which value an accepted operation returns, resolved against the state after its events were
 * applied. The types match {@link org.openhall.api.queue.HallQueue}'s results.
 */
public sealed interface ResultSpec {

    /** The value, read from the state after the operation's events were applied. */
    Object resolve(HallState stateAfter);

    /**
     * For issueTicket and checkIn: the new ticket and what its slip says, as predicted at issue
     * (the same figures as in {@link DomainEvent.TicketIssued}).
     */
    record IssuedTicketResult(String number, int peopleAhead, long estimatedWaitSeconds) implements ResultSpec {
        public IssuedTicketResult {
            Objects.requireNonNull(number, "number");
        }

        @Override
        public IssuedTicket resolve(HallState stateAfter) {
            return new IssuedTicket(TicketResult.view(stateAfter, number), peopleAhead, estimatedWaitSeconds);
        }
    }

    /** For operations on a ticket: the ticket as it is now. */
    record TicketResult(String number) implements ResultSpec {
        public TicketResult {
            Objects.requireNonNull(number, "number");
        }

        @Override
        public TicketView resolve(HallState stateAfter) {
            return view(stateAfter, number);
        }

        static TicketView view(HallState state, String number) {
            return state.ticket(number)
                    .orElseThrow(() -> new IllegalStateException("ticket " + number + " is not in the state"));
        }
    }

    /** For operations on a window: the window as it is now. */
    record WindowResult(String windowId) implements ResultSpec {
        public WindowResult {
            Objects.requireNonNull(windowId, "windowId");
        }

        @Override
        public WindowView resolve(HallState stateAfter) {
            return stateAfter.window(windowId)
                    .orElseThrow(() -> new IllegalStateException("window " + windowId + " is not configured"));
        }
    }

    /** For {@link Command.StartDay}: the new business day. */
    record DayResult(LocalDate day) implements ResultSpec {
        public DayResult {
            Objects.requireNonNull(day, "day");
        }

        @Override
        public LocalDate resolve(HallState stateAfter) {
            return day;
        }
    }

    /** A value known when the operation was decided (an evaluation, a flag). */
    record ValueResult(Object value) implements ResultSpec {
        public ValueResult {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public Object resolve(HallState stateAfter) {
            return value;
        }
    }

    /** For raiseAlert: the alert as it is active now. */
    record AlertResult(String alertId) implements ResultSpec {
        public AlertResult {
            Objects.requireNonNull(alertId, "alertId");
        }

        @Override
        public org.openhall.api.queue.Alert resolve(HallState stateAfter) {
            return stateAfter.alert(alertId)
                    .orElseThrow(() -> new IllegalStateException("alert " + alertId + " is not active"));
        }
    }
}
