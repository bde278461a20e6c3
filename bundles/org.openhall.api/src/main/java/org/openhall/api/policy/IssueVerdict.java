package org.openhall.api.policy;

import java.util.Objects;

import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.PriorityClass;

/**
 * An {@link IssueGate}'s answer: issue as asked, issue with another priority class, or refuse.
 *
 * @param priority the priority class to issue with (null: unchanged)
 * @param refusal  the error code of a refusal (null: allowed), usually
 *                 {@link ErrorCode#HALL_CLOSED} or {@link ErrorCode#REFUSED_BY_POLICY}
 * @param message  why, for the kiosk's operator and the log (required with a refusal)
 * @since 1.1
 */
public record IssueVerdict(PriorityClass priority, ErrorCode refusal, String message) {

    private static final IssueVerdict ALLOW = new IssueVerdict(null, null, null);

    public IssueVerdict {
        if (refusal != null) {
            Objects.requireNonNull(message, "a refusal needs a message");
        }
    }

    public static IssueVerdict allow() {
        return ALLOW;
    }

    /** Issue, but with this priority class (e.g. a late appointment becomes NORMAL, R10). */
    public static IssueVerdict allowAs(PriorityClass priority, String why) {
        return new IssueVerdict(Objects.requireNonNull(priority, "priority"), null, why);
    }

    public static IssueVerdict refuse(ErrorCode code, String message) {
        return new IssueVerdict(null, Objects.requireNonNull(code, "code"), message);
    }

    public boolean refused() {
        return refusal != null;
    }
}
