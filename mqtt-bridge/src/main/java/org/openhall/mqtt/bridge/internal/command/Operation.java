package org.openhall.mqtt.bridge.internal.command;

import org.openhall.api.queue.Appointment;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.ManualCase;
import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.openhall.api.queue.TransferTarget;

/** One queue operation a valid command asks for: exactly one {@link HallQueue} call. */
public sealed interface Operation {

    /** Runs it on the queue. */
    Result<?> apply(HallQueue queue, Request request);

    /** {@code kiosk}: the kiosk that issues and prints it (docs/mqtt.md), else null: the queue issues it alone. */
    record IssueTicket(String category, PriorityClass priority, String serviceItem, String kiosk) implements Operation {
        public IssueTicket(String category, PriorityClass priority, String serviceItem) {
            this(category, priority, serviceItem, null);
        }

        @Override
        public Result<?> apply(HallQueue queue, Request request) {
            return queue.issueTicket(request, category, priority, serviceItem);
        }
    }

    /** {@code kiosk}: the kiosk where the citizen checks in, else null. */
    record CheckIn(Appointment appointment, String kiosk) implements Operation {
        public CheckIn(Appointment appointment) {
            this(appointment, null);
        }

        @Override
        public Result<?> apply(HallQueue queue, Request request) {
            return queue.checkIn(request, appointment);
        }
    }

    /** The operations that name only a window. */
    record OnWindow(Kind kind, String window) implements Operation {
        public enum Kind {
            CALL_NEXT, RECALL, START, NO_SHOW, RESUME, CLOSE
        }

        @Override
        public Result<?> apply(HallQueue queue, Request request) {
            return switch (kind) {
                case CALL_NEXT -> queue.callNext(request, window);
                case RECALL -> queue.recall(request, window);
                case START -> queue.start(request, window);
                case NO_SHOW -> queue.markNoShow(request, window);
                case RESUME -> queue.resume(request, window);
                case CLOSE -> queue.closeWindow(request, window);
            };
        }
    }

    record FinishService(String window, Finish finish) implements Operation {
        @Override
        public Result<?> apply(HallQueue queue, Request request) {
            return queue.finish(request, window, finish);
        }
    }

    record Transfer(String window, TransferTarget target) implements Operation {
        @Override
        public Result<?> apply(HallQueue queue, Request request) {
            return queue.transfer(request, window, target);
        }
    }

    record Reactivate(String ticket) implements Operation {
        @Override
        public Result<?> apply(HallQueue queue, Request request) {
            return queue.reactivate(request, ticket);
        }
    }

    record Pause(String window, PauseKind kind, String reason) implements Operation {
        @Override
        public Result<?> apply(HallQueue queue, Request request) {
            return queue.pause(request, window, kind, reason);
        }
    }

    /**
     * The credential is a PIN or the answer to a sign-in challenge: {@link #toString()} leaves it
     * out so it never reaches a log (R17).
     */
    record OpenWindow(String window, String staffId, String credential) implements Operation {
        @Override
        public Result<?> apply(HallQueue queue, Request request) {
            return queue.openWindow(request, window, staffId, credential);
        }

        @Override
        public String toString() {
            return "OpenWindow[window=" + window + ", staffId=" + staffId + ", credential=***]";
        }
    }

    /** Asks for a one-time challenge to sign in without sending the PIN ({@link HallQueue#signInChallenge}). */
    record SignInChallengeRequest(String window, String staffId) implements Operation {
        @Override
        public Result<?> apply(HallQueue queue, Request request) {
            return queue.signInChallenge(window, staffId);
        }
    }

    record RecordManualCase(ManualCase manualCase) implements Operation {
        @Override
        public Result<?> apply(HallQueue queue, Request request) {
            return queue.recordManualCase(request, manualCase);
        }
    }

    /** A citizen's rating at the window's evaluator (R7); the request's actor must not be staff. */
    record Evaluate(String window, int level) implements Operation {
        @Override
        public Result<?> apply(HallQueue queue, Request request) {
            return queue.evaluate(request, window, level);
        }
    }
}
