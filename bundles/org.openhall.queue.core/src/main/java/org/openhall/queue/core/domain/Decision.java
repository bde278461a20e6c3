package org.openhall.queue.core.domain;

import java.util.List;
import java.util.Objects;

import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.QueueError;

/**
 * What {@link HallState#decide} answers: either {@link Rejected} (nothing changes) or
 * {@link Accepted}: the events that carry the operation out, and how to compute its result once
 * they have been applied.
 *
 * <p>The engine's sequence for an accepted decision: journal {@link Accepted#events()}, then
 * {@link HallState#apply} each of them in order, then {@link Accepted#result(HallState)} for the
 * value to return, then post the events.
 */
public sealed interface Decision {

    /** The operation was refused; the state is unchanged. */
    record Rejected(QueueError error) implements Decision {
        public Rejected {
            Objects.requireNonNull(error, "error");
        }

        public static Rejected of(ErrorCode code, String message) {
            return new Rejected(new QueueError(code, message));
        }
    }

    /**
     * The operation is valid but changes nothing (an alert raised again as it is, a policy value
     * stored again): no event, nothing to journal but the request record.
     */
    record Unchanged(ResultSpec result) implements Decision {
        public Unchanged {
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * The operation is valid.
     *
     * @param events     the events to journal and apply, in order; never empty
     * @param result     how to compute the operation's result value after the events are applied
     * @param policyNote when a {@link org.openhall.api.policy.CallingPolicy} threw or answered a
     *                   ticket that was not a candidate and the core's default was used instead: a
     *                   sentence for the engine to log (at WARN); else null
     */
    record Accepted(List<DomainEvent> events, ResultSpec result, String policyNote) implements Decision {
        public Accepted {
            events = List.copyOf(events);
            if (events.isEmpty()) {
                throw new IllegalArgumentException("an accepted decision has events");
            }
            Objects.requireNonNull(result, "result");
        }

        /**
         * The operation's result, computed from the state after {@link #events()} were applied:
         * an {@link org.openhall.api.queue.IssuedTicket}, {@link org.openhall.api.queue.TicketView},
         * {@link org.openhall.api.queue.WindowView} or, for {@link Command.StartDay}, the new
         * {@link java.time.LocalDate}.
         */
        public Object result(HallState stateAfter) {
            return result.resolve(stateAfter);
        }
    }
}
