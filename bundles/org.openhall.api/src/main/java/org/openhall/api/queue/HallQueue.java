package org.openhall.api.queue;

import java.time.LocalDate;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The hall's queue, the one service through which staff, devices, policies and the MQTT bridge
 * change it. Registered by the queue core.
 *
 * <p>Every operation:
 * <ul>
 * <li>is applied whole or not at all, and returns a {@link Result}: the new state of what it
 * changed, or an {@link ErrorCode} with nothing changed;</li>
 * <li>is durable when it returns {@code Ok}: it survives {@code kill -9} and power loss;</li>
 * <li>is attributed to the {@link Request}'s actor, and with a request id is idempotent: a repeat
 * returns the first result and changes nothing;</li>
 * <li>posts its events ({@link QueueEvents}) after it is durable, in sequence order;</li>
 * <li>returns {@link ErrorCode#UNAVAILABLE} (retryable) when the core cannot accept it now.</li>
 * </ul>
 * Methods may be called from any thread.
 */
@ProviderType
public interface HallQueue {

    /** Issues a ticket at a kiosk (R1: {@code priority} is the green channel). */
    Result<IssuedTicket> issueTicket(Request request, String categoryId, PriorityClass priority, String serviceItemId);

    /** Checks in a booked appointment (R10): an APPOINTMENT ticket within its slot, else NORMAL. */
    Result<IssuedTicket> checkIn(Request request, Appointment appointment);

    /** The window calls the next ticket among the categories it serves (through the calling policy). */
    Result<TicketView> callNext(Request request, String windowId);

    /** Calls the window's current ticket again (R11, R14). */
    Result<TicketView> recall(Request request, String windowId);

    /** The called citizen arrived: the transaction starts. */
    Result<TicketView> start(Request request, String windowId);

    /** Ends the window's transaction with an outcome (R8); a transfer puts the ticket back in line (R9). */
    Result<TicketView> finish(Request request, String windowId, Finish finish);

    /** Transfers the window's called or served ticket without a transaction outcome of its own (R9). */
    Result<TicketView> transfer(Request request, String windowId, TransferTarget target);

    /** The called ticket did not come (R11). */
    Result<TicketView> markNoShow(Request request, String windowId);

    /** Puts a no-show ticket back in line a few places behind the head (R11). */
    Result<TicketView> reactivate(Request request, String ticketNumber);

    /** Pauses the window (R4). */
    Result<WindowView> pause(Request request, String windowId, PauseKind kind, String reason);

    Result<WindowView> resume(Request request, String windowId);

    /**
     * Staff sign in with their own credentials and open the window (R17, R12). The credential is
     * the PIN, or the answer to a {@link #signInChallenge} ({@link SignInChallenge#answer}), which
     * is what callers on a channel others may read send. A challenge is good for one sign-in;
     * after five wrong credentials in five minutes the staff member is locked out for five minutes
     * ({@link ErrorCode#BAD_CREDENTIALS} with the time).
     */
    Result<WindowView> openWindow(Request request, String windowId, String staffId, String credential);

    /**
     * A one-time challenge to sign {@code staffId} in at {@code windowId} without sending the PIN
     * (since 1.2). Changes nothing in the hall and is not journaled: a restart forgets it.
     * Refused with {@link ErrorCode#UNKNOWN_WINDOW} or {@link ErrorCode#UNKNOWN_STAFF}.
     */
    Result<SignInChallenge> signInChallenge(String windowId, String staffId);

    /** Closes the window; refused while it has a ticket called or in service. */
    Result<WindowView> closeWindow(Request request, String windowId);

    /** Enters a case handled by hand (R5, R18). */
    Result<TicketView> recordManualCase(Request request, ManualCase manualCase);

    /**
     * The citizen rates the transaction the window finished last (R7): one rating per transaction,
     * within {@code evaluationTimeout} of its end; refused for a STAFF actor (staff cannot rate for
     * the citizen). Posts {@value QueueEvents#EVALUATION_RECORDED}.
     *
     * @param level 1..5 (see {@link Evaluation#level()})
     * @since 1.1
     */
    Result<Evaluation> evaluate(Request request, String windowId, int level);

    /**
     * Raises an alert, or replaces the active one with the same id. Raising an identical active
     * alert again changes nothing and posts nothing. Posts {@value QueueEvents#ALERT_RAISED}.
     *
     * @since 1.1
     */
    Result<Alert> raiseAlert(Request request, Alert alert);

    /**
     * Clears an alert. Clearing one that is not active changes nothing. Posts
     * {@value QueueEvents#ALERT_CLEARED} when it was active.
     *
     * @return whether it was active
     * @since 1.1
     */
    Result<Boolean> clearAlert(Request request, String alertId);

    /**
     * Assigns categories to an open window for now, on top of its configured ones, or takes them
     * back with an empty list (a tidal window, R2). Refused for unknown categories. Posts
     * {@value QueueEvents#WINDOW_ASSIGNED}. Assignments end when the window closes.
     *
     * @since 1.1
     */
    Result<WindowView> assignCategories(Request request, String windowId, java.util.List<String> categoryIds);

    /**
     * Stores a value of a policy's durable state (open follow-ups, why a tidal window is open …)
     * in the journal, so it survives restarts and updates of the policy bundle. A null value removes
     * the key; storing the value already stored changes nothing. Posts {@value QueueEvents#POLICY_STATE}.
     * Keep values small (at most {@value #MAX_POLICY_VALUE} characters) and free of personal data (R16).
     *
     * @param policyId the policy's id, e.g. its bundle's symbolic name
     * @return whether anything changed
     * @since 1.1
     */
    Result<Boolean> putPolicyState(Request request, String policyId, String key, String value);

    /** Longest value {@link #putPolicyState} accepts. */
    int MAX_POLICY_VALUE = 4096;

    /**
     * A policy's durable state: every key and value stored by {@link #putPolicyState}.
     *
     * @since 1.1
     */
    java.util.Map<String, String> policyState(String policyId);

    /** A ticket of the current day by its number. */
    Optional<TicketView> ticket(String number);

    /** The hall now, consistent at one sequence number. */
    HallSnapshot snapshot();

    /** Statistics of a day within the retention period (today's so far), if known. */
    Optional<DayStatistics> statistics(LocalDate day);
}
