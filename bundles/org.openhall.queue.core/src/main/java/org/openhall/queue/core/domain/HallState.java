package org.openhall.queue.core.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import org.openhall.api.policy.CallingPolicy;
import org.openhall.api.policy.PhasePolicy;
import org.openhall.api.policy.WaitingTicket;
import org.openhall.api.queue.Alert;
import org.openhall.api.queue.CategoryView;
import org.openhall.api.queue.HallPhase;
import org.openhall.api.queue.DayStatistics;
import org.openhall.api.queue.HallSnapshot;
import org.openhall.api.queue.Outcome;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.TicketState;
import org.openhall.api.queue.TicketView;
import org.openhall.api.queue.WindowState;
import org.openhall.api.queue.WindowView;

/**
 * The hall's queue as a deterministic, single-threaded state machine: today's tickets, the
 * windows, the numbering counters, the rolling handling-time averages, the hall-wide count of
 * consecutive priority calls, the live statistics of today and the frozen statistics of past days.
 * It does no I/O, reads no clock and knows nothing of OSGi. It is not thread-safe: the engine owns
 * it under its lock.
 *
 * <h2>How it is driven</h2>
 * <ol>
 * <li>{@link #decide(Command, Instant, CallingPolicy)} validates a {@link Command} against the
 * configuration and the state and answers a {@link Decision}: a {@link Decision.Rejected} with a
 * {@link org.openhall.api.queue.QueueError}, or a {@link Decision.Accepted} with the
 * {@link DomainEvent}s to apply and a {@link ResultSpec}. It never changes the state.</li>
 * <li>{@link #apply(DomainEvent)} changes the state. It depends only on the event and the state,
 * never on the configuration, so replaying the journal (from the start or from a
 * {@link StateCodec} snapshot) gives the same state even if the configuration changed since.</li>
 * <li>Queries ({@link #ticket}, {@link #window}, {@link #snapshot}, {@link #statistics}) combine the
 * state with the current configuration (names, windows' categories, settings).</li>
 * </ol>
 *
 * <h2>Tickets (R1, R8–R11, R20)</h2>
 * WAITING → CALLED (recalls keep it CALLED and count calls) → SERVING → FINISHED; CALLED → NO_SHOW
 * → (re-activated within {@link QueueSettings#reactivationWindow()}) WAITING; CALLED or SERVING →
 * transferred → WAITING in the target category with its number and its place in time. Numbers are
 * the category letter and three digits (or four: {@link CategoryConfig#numberDigits()}), per
 * category per day, never reused within a day ({@link CategoryConfig#maxNumber()}, 999 or 9999,
 * per category and day at most: the next issue is refused with
 * {@link org.openhall.api.queue.ErrorCode#HALL_CLOSED}).
 *
 * <h2>Issuing (R1, R5, R10, R13)</h2>
 * Kiosks issue only within the opening hours ({@link #isOpenForIssuing}), else
 * {@code HALL_CLOSED}; there is no closing cut-off here and no check that the clock's business day
 * is {@link #day()}: the engine starts the day ({@link #businessDay}) and applies any cut-off. A
 * check-in is an APPOINTMENT ticket from {@link #APPOINTMENT_EARLY_TOLERANCE} before its slot's
 * start to its slot's end, an ordinary ticket otherwise (late arrivals, and very early ones, who
 * would otherwise be called before walk-ins long before their slot); a booking code checks in
 * once a day. issueTicket also accepts the APPOINTMENT class (a kiosk or the console that checked
 * the booking itself). A manual case (补录) takes the next number of its category, is FINISHED at
 * once and counts like any transaction; it must have arrived on the current day, and may be
 * entered for any configured window and staff member (the window need not serve its category).
 *
 * <h2>Windows (R4, R12, R17)</h2>
 * CLOSED → (staff sign in) IDLE → (call) CALLING → (start) SERVING → (finish, transfer, no-show)
 * IDLE; any open state → PAUSED → (resume) the state it paused in; IDLE or PAUSED without a ticket
 * → CLOSED. A brief pause keeps the window's ticket. A suspension is refused while a ticket is in
 * service; a suspension while a ticket is called sends that ticket back to the queue at its place.
 *
 * <h2>Calling order (R1, R9, R10, R11)</h2>
 * Among WAITING tickets of the window's categories that are targeted to this window or to none:
 * priority (green channel and appointments) before normal, then place in time (issue time; kept
 * through transfers), then the window's category preference, then issue order. Fairness (R1): when
 * the first in that order is a priority ticket and a normal candidate exists, the oldest normal
 * candidate goes first if {@link QueueSettings#maxConsecutivePriorityCalls()} priority tickets were
 * called in a row hall-wide (≤ 0 disables this bound), or if that normal ticket has been waiting at
 * its current step (since issue, transfer or re-activation) longer than
 * {@link QueueSettings#maxNormalWait()} (null, zero or negative disables this bound). A
 * re-activated no-show is placed behind {@link QueueSettings#reactivationPlacesBehindHead()}
 * waiting tickets of its category and of its own rank (priority ones still go first).
 *
 * <h2>Statistics (R6, R21)</h2>
 * Waiting time: the first call at a step minus the start of that step (issue; for a transferred
 * ticket the transfer; a re-activated or returned ticket keeps its step), counted for the category
 * it waited in and the window and staff that called. Handling time: finish minus start of every
 * {@code service.finished} (any outcome); served: those with an outcome other than TRANSFERRED;
 * transfers: every {@code ticket.transferred}, counted for the category left. Windows and staff
 * count as "issued" the transactions they started. An overrun is a handling time above the time
 * limit of the service item named at finish (or at the kiosk), carried in the event. Percentiles
 * are nearest-rank. Times are measured in milliseconds and never negative (a clock stepping back
 * gives 0). The estimate accuracy compares each ticket's first call with the prediction recorded
 * at issue.
 *
 * <h2>Day rollover (R13)</h2>
 * {@link Command.StartDay} closes every ticket of the old day still WAITING, CALLED or SERVING and
 * counts it as a no-show of the old day (it was not served that day; nothing is lost from the
 * statistics), freezes the old day's statistics (kept {@link QueueSettings#retentionDays()} days),
 * drops the old day's tickets, restarts numbering and the consecutive-priority count. Windows stay
 * open with their staff; a window that had a ticket becomes IDLE (a paused one stays paused and
 * resumes to IDLE). The rolling handling-time averages carry over.
 *
 * <h2>Configuration changes</h2>
 * {@link #reconfigure(HallConfig)} only swaps the configuration; the state is untouched (it changes
 * through events only). A window removed from the configuration keeps its run-time state (and any
 * ticket it had called or was serving) but is no longer shown, cannot be operated
 * ({@code UNKNOWN_WINDOW}) and does not count as a sign-in of its staff; if it comes back it
 * continues where it was. Its ticket stays CALLED/SERVING until then or until the day rollover,
 * which closes it. Tickets of a removed category stay in the state: they are no longer shown in
 * the snapshot, but windows still configured with that category id still call them, and the day
 * rollover closes the rest.
 */
public final class HallState {

    /** How long after a transaction ends the window's evaluator accepts a rating (R7). */
    public static final Duration EVALUATION_TIMEOUT = Duration.ofMinutes(3);
    /** Check-ins from this long before the slot's start get an appointment ticket (R10). */
    public static final Duration APPOINTMENT_EARLY_TOLERANCE = Duration.ofMinutes(15);
    /** Handling-time samples kept per category for the rolling average (independent of settings). */
    static final int MAX_HANDLING_HISTORY = 1000;
    /** Spacing of issue-order keys, so that re-activated tickets can be placed between two others. */
    static final long PLACE_SPACING = 1L << 20;

    /** Within a category: place in time, then place sequence, then number. */
    static final Comparator<Ticket> PLACE_ORDER = Comparator.<Ticket, Instant>comparing(t -> t.placeTime)
            .thenComparingLong(t -> t.placeSeq).thenComparing(t -> t.number);

    private HallConfig config;

    // ---- event-sourced state: changed by apply() only, written by StateCodec ----
    LocalDate day;
    long nextIssueSeq = 1;
    int consecutivePriorityCalls;
    final TreeMap<String, Integer> lastNumbers = new TreeMap<>();
    /** Today's tickets by number, in issue order. */
    final LinkedHashMap<String, Ticket> tickets = new LinkedHashMap<>();
    final TreeMap<String, WindowSlot> windows = new TreeMap<>();
    final TreeMap<String, String> lastCalled = new TreeMap<>();
    final TreeSet<String> appointmentCodes = new TreeSet<>();
    /** Per category, the latest handling times in milliseconds, oldest first. */
    final TreeMap<String, List<Long>> recentHandling = new TreeMap<>();
    DayAccumulator today = new DayAccumulator();
    final TreeMap<LocalDate, DayStatistics> past = new TreeMap<>();
    /** Open, extended or closed (R3, R13): changed by hall.* events only. */
    HallPhase phase = HallPhase.CLOSED;
    /** Active alerts by id. */
    final TreeMap<String, Alert> alerts = new TreeMap<>();
    /** Policies' durable state: policy id → key → value. Kept across days. */
    final TreeMap<String, TreeMap<String, String>> policyState = new TreeMap<>();

    /**
     * A new, empty hall: no tickets, every window closed.
     *
     * @param config the configuration
     * @param day    the business day tickets are numbered for
     */
    public HallState(HallConfig config, LocalDate day) {
        this.config = Objects.requireNonNull(config, "config");
        this.day = Objects.requireNonNull(day, "day");
    }

    /** The configuration decisions and queries use now. */
    public HallConfig config() {
        return config;
    }

    /**
     * Replaces the configuration (Config Admin changed it). The state is not changed; see the class
     * documentation for what happens to removed windows and categories.
     */
    public void reconfigure(HallConfig newConfig) {
        this.config = Objects.requireNonNull(newConfig, "config");
    }

    /** The business day tickets are numbered for. */
    public LocalDate day() {
        return day;
    }

    /** The business day of an instant in the hall's time zone (for the engine's rollover check). */
    public LocalDate businessDay(Instant now) {
        return LocalDate.ofInstant(now, config.zone());
    }

    /**
     * Whether kiosks may issue tickets at {@code now} (R13): within one of the opening periods of
     * the local weekday, on a day that is not a holiday. A weekday without hours is closed. A period
     * whose close is before its open runs past midnight into the next morning (Tuesday 22:00–02:00
     * covers Wednesday 01:00; the holiday check applies to the day it started). A period whose open
     * equals its close is the whole day (24-hour self-service).
     */
    public boolean isOpenForIssuing(Instant now) {
        ZonedDateTime local = now.atZone(config.zone());
        LocalDate date = local.toLocalDate();
        LocalTime t = local.toLocalTime();
        if (!config.holidays().contains(date)) {
            for (OpeningHours p : periods(date)) {
                if (p.open().equals(p.close())) {
                    return true;
                }
                boolean inside = p.open().isBefore(p.close()) ? !t.isBefore(p.open()) && t.isBefore(p.close())
                        : !t.isBefore(p.open());
                if (inside) {
                    return true;
                }
            }
        }
        LocalDate yesterday = date.minusDays(1);
        if (!config.holidays().contains(yesterday)) {
            for (OpeningHours p : periods(yesterday)) {
                if (p.close().isBefore(p.open()) && t.isBefore(p.close())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * When the opening period that contains {@code now} ends (R3), if one does. A whole-day period
     * (open equals close) ends at the next midnight; periods that touch are not merged.
     */
    public Optional<Instant> closingTime(Instant now) {
        ZonedDateTime local = now.atZone(config.zone());
        LocalDate date = local.toLocalDate();
        LocalTime t = local.toLocalTime();
        if (!config.holidays().contains(date)) {
            for (OpeningHours p : periods(date)) {
                if (p.open().equals(p.close())) {
                    return Optional.of(date.plusDays(1).atStartOfDay(config.zone()).toInstant());
                }
                if (p.open().isBefore(p.close())) {
                    if (!t.isBefore(p.open()) && t.isBefore(p.close())) {
                        return Optional.of(date.atTime(p.close()).atZone(config.zone()).toInstant());
                    }
                } else if (!t.isBefore(p.open())) {
                    return Optional.of(date.plusDays(1).atTime(p.close()).atZone(config.zone()).toInstant());
                }
            }
        }
        LocalDate yesterday = date.minusDays(1);
        if (!config.holidays().contains(yesterday)) {
            for (OpeningHours p : periods(yesterday)) {
                if (p.close().isBefore(p.open()) && t.isBefore(p.close())) {
                    return Optional.of(date.atTime(p.close()).atZone(config.zone()).toInstant());
                }
            }
        }
        return Optional.empty();
    }

    /** The hall's phase (R3, R13). */
    public HallPhase phase() {
        return phase;
    }

    /** An active alert. */
    public Optional<Alert> alert(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(alerts.get(id));
    }

    /** A policy's durable state, a copy. */
    public Map<String, String> policyState(String policyId) {
        TreeMap<String, String> m = policyId == null ? null : policyState.get(policyId);
        return m == null ? Map.of() : Map.copyOf(m);
    }

    /** A window's categories now: its configured ones, then those assigned to it (R2). */
    List<String> servedCategories(WindowConfig wc) {
        WindowSlot w = windows.get(wc.id());
        if (w == null || w.assigned == null || w.assigned.isEmpty()) {
            return wc.categories();
        }
        List<String> all = new ArrayList<>(wc.categories());
        for (String c : w.assigned) {
            if (!all.contains(c)) {
                all.add(c);
            }
        }
        return all;
    }

    private List<OpeningHours> periods(LocalDate date) {
        List<OpeningHours> periods = config.hours().get(date.getDayOfWeek());
        return periods == null ? List.of() : periods;
    }

    /** Priority tickets called in a row hall-wide since the last normal one (R1). */
    public int consecutivePriorityCalls() {
        return consecutivePriorityCalls;
    }

    // ------------------------------------------------------------------------------------------
    // decide
    // ------------------------------------------------------------------------------------------

    /**
     * Validates a command and answers the events that carry it out, without changing the state.
     *
     * @param command  the operation
     * @param now      the engine's clock: the time of the resulting events
     * @param policy   the calling policy consulted by {@link Command.CallNext}, or null for the
     *                 core's default order. If it throws or answers a ticket that is not a
     *                 candidate the default is used and {@link Decision.Accepted#policyNote()}
     *                 says so; if it answers empty (call nobody) the call is refused with
     *                 {@link org.openhall.api.queue.ErrorCode#REFUSED_BY_POLICY}.
     * @return a rejection with the reason, or the events and the result to compute after them
     */
    public Decision decide(Command command, Instant now, CallingPolicy policy) {
        return decide(command, now, Policies.calling(policy));
    }

    /** Like {@link #decide(Command, Instant, CallingPolicy)}, with every kind of policy (gates, phase). */
    public Decision decide(Command command, Instant now, Policies policies) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(now, "now");
        return new Decider(this, now, policies == null ? Policies.NONE : policies).decide(command);
    }

    /**
     * The phase the hall should be in now (R3, R13): OPEN within the opening hours, else CLOSED,
     * unless the phase policy says otherwise. A policy that throws is ignored (the default applies).
     *
     * @return the phase, and a note for the log when the policy failed
     */
    public Map.Entry<HallPhase, String> targetPhase(Instant now, Policies policies) {
        HallPhase byHours = isOpenForIssuing(now) ? HallPhase.OPEN : HallPhase.CLOSED;
        PhasePolicy p = policies == null ? null : policies.phase();
        if (p == null) {
            return Map.entry(byHours, "");
        }
        try {
            HallPhase answer = p.phase(byHours, new StateView(this, now));
            return Map.entry(answer == null ? byHours : answer, answer == null
                    ? "phase policy " + p.getClass().getName() + " answered null; the opening hours apply" : "");
        } catch (Exception | LinkageError e) {
            return Map.entry(byHours, "phase policy " + p.getClass().getName() + " failed (" + e
                    + "); the opening hours apply");
        }
    }

    // ------------------------------------------------------------------------------------------
    // apply
    // ------------------------------------------------------------------------------------------

    /**
     * Applies one event. Deterministic: depends only on the event and the state. An event that
     * cannot apply (for example about a ticket the state does not have) means the journal does not
     * match the state and throws {@link IllegalStateException}.
     */
    public void apply(DomainEvent event) {
        Objects.requireNonNull(event, "event");
        if (event instanceof DomainEvent.TicketIssued e) {
            onIssued(e);
        } else if (event instanceof DomainEvent.TicketCalled e) {
            onCalled(e);
        } else if (event instanceof DomainEvent.TicketRecalled e) {
            Ticket t = existing(e.number());
            t.calls = e.calls();
            t.calledAt = e.at();
        } else if (event instanceof DomainEvent.ServiceStarted e) {
            onStarted(e);
        } else if (event instanceof DomainEvent.ServiceFinished e) {
            onFinished(e);
        } else if (event instanceof DomainEvent.TicketTransferred e) {
            onTransferred(e);
        } else if (event instanceof DomainEvent.TicketNoShow e) {
            onNoShow(e);
        } else if (event instanceof DomainEvent.TicketReactivated e) {
            onReactivated(e);
        } else if (event instanceof DomainEvent.WindowOpened e) {
            WindowSlot w = slot(e.windowId());
            w.state = WindowState.IDLE;
            w.staffId = e.staffId();
            w.ticketNumber = null;
            w.assigned = null;
            clearPause(w);
            w.since = e.at();
        } else if (event instanceof DomainEvent.WindowPaused e) {
            onPaused(e);
        } else if (event instanceof DomainEvent.WindowResumed e) {
            WindowSlot w = slot(e.windowId());
            w.state = w.resumeState == null ? WindowState.IDLE : w.resumeState;
            clearPause(w);
            w.since = e.at();
        } else if (event instanceof DomainEvent.WindowClosed e) {
            WindowSlot w = slot(e.windowId());
            w.state = WindowState.CLOSED;
            w.staffId = null;
            w.ticketNumber = null;
            w.assigned = null;
            clearPause(w);
            w.since = e.at();
        } else if (event instanceof DomainEvent.CaseRecorded e) {
            onCaseRecorded(e);
        } else if (event instanceof DomainEvent.DayStarted e) {
            onDayStarted(e);
        } else if (event instanceof DomainEvent.EvaluationRecorded e) {
            onEvaluated(e);
        } else if (event instanceof DomainEvent.AlertRaised e) {
            alerts.put(e.alertId(), new Alert(e.alertId(), e.kind(), e.categoryId(), e.windowId(), e.text(), e.at()));
        } else if (event instanceof DomainEvent.AlertCleared e) {
            alerts.remove(e.alertId());
        } else if (event instanceof DomainEvent.WindowAssigned e) {
            slot(e.windowId()).assigned = e.categoryIds().isEmpty() ? null : new ArrayList<>(e.categoryIds());
        } else if (event instanceof DomainEvent.PolicyStateChanged e) {
            if (e.value() == null) {
                TreeMap<String, String> m = policyState.get(e.policyId());
                if (m != null) {
                    m.remove(e.key());
                    if (m.isEmpty()) {
                        policyState.remove(e.policyId());
                    }
                }
            } else {
                policyState.computeIfAbsent(e.policyId(), k -> new TreeMap<>()).put(e.key(), e.value());
            }
        } else if (event instanceof DomainEvent.HallPhaseChanged e) {
            phase = e.phase();
        } else {
            throw new IllegalArgumentException("unknown event " + event.getClass().getName());
        }
    }

    /** Applies events in order. */
    public void applyAll(List<? extends DomainEvent> events) {
        for (DomainEvent e : events) {
            apply(e);
        }
    }

    private void onIssued(DomainEvent.TicketIssued e) {
        if (tickets.containsKey(e.number())) {
            throw new IllegalStateException("ticket " + e.number() + " was already issued on " + day);
        }
        Ticket t = new Ticket();
        t.number = e.number();
        t.categoryId = e.categoryId();
        t.serviceItemId = e.serviceItemId();
        t.priority = e.priority();
        t.state = TicketState.WAITING;
        t.issuedAt = e.at();
        t.issueSeq = nextIssueSeq++;
        t.placeTime = e.at();
        t.placeSeq = t.issueSeq * PLACE_SPACING;
        t.waitingSince = e.at();
        t.predictedWaitSeconds = e.predictedWaitSeconds();
        tickets.put(t.number, t);
        countNumber(t.number);
        if (e.appointmentCode() != null) {
            appointmentCodes.add(e.appointmentCode());
        }
        today.each(t.categoryId, null, null, a -> a.issued++);
    }

    private void onCalled(DomainEvent.TicketCalled e) {
        Ticket t = existing(e.number());
        WindowSlot w = slot(e.windowId());
        t.state = TicketState.CALLED;
        t.windowId = e.windowId();
        t.calls = 1;
        t.calledAt = e.at();
        t.reactivated = false;
        if (t.stepCalledAt == null) {
            // R21: waiting time = first call at this step − start of this step (issue for the first).
            t.stepCalledAt = e.at();
            long wait = millis(t.waitingSince, e.at());
            today.each(t.categoryId, e.windowId(), e.staffId(), a -> a.waitMillis.add(wait));
        }
        if (!t.firstCallSeen) {
            t.firstCallSeen = true;
            if (t.predictedWaitSeconds >= 0) {
                today.estimate(millis(t.issuedAt, e.at()) / 1000, t.predictedWaitSeconds);
            }
        }
        w.state = WindowState.CALLING;
        w.ticketNumber = t.number;
        w.since = e.at();
        lastCalled.put(t.categoryId, t.number);
        consecutivePriorityCalls = t.isPriority() ? consecutivePriorityCalls + 1 : 0;
    }

    private void onStarted(DomainEvent.ServiceStarted e) {
        Ticket t = existing(e.number());
        WindowSlot w = slot(e.windowId());
        t.state = TicketState.SERVING;
        t.startedAt = e.at();
        if (t.responsibleWindowId == null) {
            t.responsibleWindowId = e.windowId(); // R8: the first window stays responsible
        }
        w.state = WindowState.SERVING;
        w.since = e.at();
        today.eachAtWindow(e.windowId(), e.staffId(), a -> a.issued++);
    }

    private void onFinished(DomainEvent.ServiceFinished e) {
        Ticket t = existing(e.number());
        t.state = TicketState.FINISHED;
        t.finishedAt = e.at();
        t.outcome = e.outcome();
        if (e.serviceItemId() != null) {
            t.serviceItemId = e.serviceItemId();
        }
        t.windowId = null;
        t.targetWindowId = null;
        release(e.windowId(), t.number, e.at());
        WindowSlot finishedAt = slot(e.windowId());
        finishedAt.armedTicket = t.number; // R7: the evaluator now rates this transaction
        finishedAt.armedCategory = t.categoryId;
        finishedAt.armedItem = t.serviceItemId;
        finishedAt.armedStaff = e.staffId();
        finishedAt.armedAt = e.at();
        long handling = millis(e.startedAt(), e.at());
        boolean overrun = e.timeLimitSeconds() != null && handling > e.timeLimitSeconds() * 1000; // R6
        boolean served = e.outcome() != Outcome.TRANSFERRED;
        today.each(t.categoryId, e.windowId(), e.staffId(), a -> {
            a.handlingMillis.add(handling);
            if (served) {
                a.served++;
            }
            if (overrun) {
                a.overruns++;
            }
        });
        rememberHandling(t.categoryId, handling);
    }

    private void onEvaluated(DomainEvent.EvaluationRecorded e) {
        WindowSlot w = slot(e.windowId());
        w.disarm();
        boolean satisfied = e.level() >= 4;
        today.each(e.categoryId(), e.windowId(), e.staffId(), a -> {
            a.rated++;
            if (satisfied) {
                a.satisfied++;
            }
        });
    }

    private void onTransferred(DomainEvent.TicketTransferred e) {
        Ticket t = existing(e.number());
        if (e.fromWindowId() != null) {
            release(e.fromWindowId(), t.number, e.at());
        }
        if (!e.categoryId().equals(t.categoryId)) {
            t.serviceItemId = null; // the item belonged to the category it leaves
        }
        t.categoryId = e.categoryId();
        t.targetWindowId = e.windowId();
        t.state = TicketState.WAITING;
        t.windowId = null;
        t.calls = 0;
        t.calledAt = null;
        t.stepCalledAt = null; // a new step: its waiting time is measured from now
        t.waitingSince = e.at();
        t.reactivated = false;
        // R9: the citizen keeps their place in time, not sent to the back.
        t.placeTime = t.issuedAt;
        t.placeSeq = t.issueSeq * PLACE_SPACING;
        today.each(e.fromCategoryId(), e.fromWindowId(), e.staffId(), a -> a.transfers++);
    }

    private void onNoShow(DomainEvent.TicketNoShow e) {
        Ticket t = existing(e.number());
        if (e.windowId() != null) {
            release(e.windowId(), t.number, e.at());
        }
        t.state = TicketState.NO_SHOW;
        t.noShowAt = e.at();
        t.windowId = null;
        today.each(t.categoryId, e.windowId(), e.staffId(), a -> a.noShows++);
    }

    private void onReactivated(DomainEvent.TicketReactivated e) {
        Ticket t = existing(e.number());
        t.state = TicketState.WAITING;
        t.placeTime = e.placeTime();
        t.placeSeq = e.placeSeq();
        t.waitingSince = e.at();
        t.calls = 0;
        t.calledAt = null;
        t.noShowAt = null;
        t.windowId = null;
        t.reactivated = true;
    }

    private void onPaused(DomainEvent.WindowPaused e) {
        WindowSlot w = slot(e.windowId());
        w.resumeState = w.state == WindowState.PAUSED || w.state == WindowState.CLOSED ? WindowState.IDLE : w.state;
        if (e.returnedTicket() != null) {
            // R4: a suspended window's called citizen goes back to the queue, at their place.
            Ticket t = existing(e.returnedTicket());
            t.state = TicketState.WAITING;
            t.windowId = null;
            t.calls = 0;
            t.calledAt = null;
            w.ticketNumber = null;
            w.resumeState = WindowState.IDLE;
        }
        w.state = WindowState.PAUSED;
        w.pauseKind = e.kind();
        w.pauseReason = e.reason();
        w.since = e.at();
    }

    private void onCaseRecorded(DomainEvent.CaseRecorded e) {
        if (tickets.containsKey(e.number())) {
            throw new IllegalStateException("ticket " + e.number() + " was already issued on " + day);
        }
        Ticket t = new Ticket();
        t.number = e.number();
        t.categoryId = e.categoryId();
        t.serviceItemId = e.serviceItemId();
        t.priority = PriorityClass.NORMAL;
        t.state = TicketState.FINISHED;
        t.issuedAt = e.arrivedAt();
        t.issueSeq = nextIssueSeq++;
        t.placeTime = e.arrivedAt();
        t.placeSeq = t.issueSeq * PLACE_SPACING;
        t.waitingSince = e.arrivedAt();
        t.stepCalledAt = e.startedAt();
        t.startedAt = e.startedAt();
        t.finishedAt = e.finishedAt();
        t.responsibleWindowId = e.windowId();
        t.outcome = e.outcome();
        t.manual = true;
        t.firstCallSeen = true;
        tickets.put(t.number, t);
        countNumber(t.number);
        long wait = millis(e.arrivedAt(), e.startedAt());
        long handling = millis(e.startedAt(), e.finishedAt());
        boolean overrun = e.timeLimitSeconds() != null && handling > e.timeLimitSeconds() * 1000;
        boolean served = e.outcome() != Outcome.TRANSFERRED;
        // R5/R18: a manual case counts like any other transaction.
        today.each(t.categoryId, null, null, a -> a.issued++);
        today.eachAtWindow(e.windowId(), e.staffId(), a -> a.issued++);
        today.each(t.categoryId, e.windowId(), e.staffId(), a -> {
            a.waitMillis.add(wait);
            a.handlingMillis.add(handling);
            if (served) {
                a.served++;
            }
            if (overrun) {
                a.overruns++;
            }
        });
        rememberHandling(t.categoryId, handling);
    }

    private void onDayStarted(DomainEvent.DayStarted e) {
        for (String number : e.unfinishedTickets()) {
            Ticket t = existing(number);
            String staffId = null;
            if (t.windowId != null) {
                WindowSlot w = windows.get(t.windowId);
                staffId = w == null ? null : w.staffId;
            }
            // Not served that day: counted as a no-show of the old day, so nothing is lost (R21).
            today.each(t.categoryId, t.windowId, staffId, a -> a.noShows++);
        }
        past.put(day, today.statistics(day));
        past.headMap(e.keepStatisticsFrom()).clear();
        tickets.clear();
        lastNumbers.clear();
        lastCalled.clear();
        appointmentCodes.clear();
        consecutivePriorityCalls = 0;
        today = new DayAccumulator();
        for (WindowSlot w : windows.values()) {
            w.disarm(); // a rating counts for the day of its transaction; the old day is frozen
            if (w.ticketNumber != null) {
                w.ticketNumber = null;
                if (w.state == WindowState.PAUSED) {
                    w.resumeState = WindowState.IDLE;
                } else {
                    w.state = WindowState.IDLE;
                    w.since = e.at();
                }
            }
        }
        day = e.day();
    }

    private Ticket existing(String number) {
        Ticket t = tickets.get(number);
        if (t == null) {
            throw new IllegalStateException("event refers to ticket " + number + " which is not in the state of " + day);
        }
        return t;
    }

    private WindowSlot slot(String windowId) {
        return windows.computeIfAbsent(windowId, WindowSlot::new);
    }

    /** The window lets go of its ticket: CALLING/SERVING become IDLE, a paused one resumes to IDLE. */
    private void release(String windowId, String number, Instant at) {
        WindowSlot w = windows.get(windowId);
        if (w == null || !number.equals(w.ticketNumber)) {
            return;
        }
        w.ticketNumber = null;
        if (w.state == WindowState.PAUSED) {
            w.resumeState = WindowState.IDLE;
        } else if (w.state == WindowState.CALLING || w.state == WindowState.SERVING) {
            w.state = WindowState.IDLE;
            w.since = at;
        }
    }

    private static void clearPause(WindowSlot w) {
        w.pauseKind = null;
        w.pauseReason = null;
        w.resumeState = null;
    }

    private void countNumber(String number) {
        String prefix = number.substring(0, 1);
        int n = Integer.parseInt(number.substring(1));
        lastNumbers.merge(prefix, n, Math::max);
    }

    private void rememberHandling(String categoryId, long handlingMillis) {
        List<Long> list = recentHandling.computeIfAbsent(categoryId, k -> new ArrayList<>());
        list.add(handlingMillis);
        if (list.size() > MAX_HANDLING_HISTORY) {
            list.subList(0, list.size() - MAX_HANDLING_HISTORY).clear();
        }
    }

    /** Milliseconds from a to b, never negative (a clock stepping back must not give negative times). */
    static long millis(Instant a, Instant b) {
        return Math.max(0, Duration.between(a, b).toMillis());
    }

    // ------------------------------------------------------------------------------------------
    // queries
    // ------------------------------------------------------------------------------------------

    /** A ticket of the current day. */
    public Optional<TicketView> ticket(String number) {
        Ticket t = number == null ? null : tickets.get(number);
        return Optional.ofNullable(t).map(Ticket::view);
    }

    /** Every ticket of the current day, in issue order. */
    public List<TicketView> tickets() {
        List<TicketView> out = new ArrayList<>(tickets.size());
        for (Ticket t : tickets.values()) {
            out.add(t.view());
        }
        return out;
    }

    /** A configured window as it is now. */
    public Optional<WindowView> window(String windowId) {
        return windowId == null ? Optional.empty() : config.window(windowId).map(this::windowView);
    }

    /**
     * The tickets a window may call, in the default calling order (before the fairness bound),
     * as a calling policy sees them. Empty for an unknown window.
     */
    public List<WaitingTicket> waitingFor(String windowId) {
        Optional<WindowConfig> wc = windowId == null ? Optional.empty() : config.window(windowId);
        if (wc.isEmpty()) {
            return List.of();
        }
        return candidates(wc.get()).stream().map(HallState::waiting).toList();
    }

    /**
     * The hall now: every configured category and window.
     *
     * @param seq the last journal sequence number included (the engine's)
     * @param now when the snapshot is taken
     */
    public HallSnapshot snapshot(long seq, Instant now) {
        List<CategoryView> categories = new ArrayList<>();
        for (CategoryConfig c : config.categories()) {
            categories.add(categoryView(c));
        }
        List<WindowView> windowViews = new ArrayList<>();
        for (WindowConfig w : config.windows()) {
            windowViews.add(windowView(w));
        }
        List<Alert> active = new ArrayList<>(alerts.values());
        active.sort(Comparator.comparing(Alert::raisedAt).thenComparing(Alert::id));
        return new HallSnapshot(config.hallId(), config.hallName(), day, seq, now, categories, windowViews, phase,
                active);
    }

    /**
     * Statistics of a day (R21): today's live figures, or a past day's frozen at its rollover and
     * kept {@link QueueSettings#retentionDays()} days.
     */
    public Optional<DayStatistics> statistics(LocalDate date) {
        if (date == null) {
            return Optional.empty();
        }
        if (date.equals(day)) {
            return Optional.of(today.statistics(day));
        }
        return Optional.ofNullable(past.get(date));
    }

    /** A category as screens show it (R14). */
    CategoryView categoryView(CategoryConfig c) {
        int waiting = 0;
        int priorityWaiting = 0;
        for (Ticket t : tickets.values()) {
            if (t.state == TicketState.WAITING && t.categoryId.equals(c.id())) {
                waiting++;
                if (t.isPriority()) {
                    priorityWaiting++;
                }
            }
        }
        return new CategoryView(c.id(), c.name(), waiting, priorityWaiting, lastCalled.get(c.id()),
                estimateSeconds(c.id(), waiting), openWindowsServing(c.id()));
    }

    WindowView windowView(WindowConfig wc) {
        WindowSlot w = windows.get(wc.id());
        if (w == null) {
            return new WindowView(wc.id(), wc.name(), WindowState.CLOSED, wc.categories(), wc.standby(), null, null,
                    null, null, null, null);
        }
        String staffName = w.staffId == null ? null
                : config.staffMember(w.staffId).map(StaffConfig::name).orElse(null);
        return new WindowView(wc.id(), wc.name(), w.state, servedCategories(wc), wc.standby(), w.ticketNumber,
                w.staffId, staffName, w.pauseKind, w.pauseReason, w.since, w.assigned);
    }

    /** The window's slot, or a closed one that is not stored (decide must not change the state). */
    WindowSlot slotOrClosed(String windowId) {
        WindowSlot w = windows.get(windowId);
        return w != null ? w : new WindowSlot(windowId);
    }

    /** Open windows serving a category: IDLE, CALLING or SERVING; paused ones excluded (R4). */
    int openWindowsServing(String categoryId) {
        int n = 0;
        for (WindowConfig wc : config.windows()) {
            WindowSlot w = windows.get(wc.id());
            if (w != null && w.isServing() && servedCategories(wc).contains(categoryId)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Rolling average handling time of a category in milliseconds: the mean of its last
     * {@link QueueSettings#handlingAverageSamples()} finished transactions (at most
     * {@value #MAX_HANDLING_HISTORY}), or {@link QueueSettings#defaultHandlingTime()} before any.
     */
    double averageHandlingMillis(String categoryId) {
        List<Long> list = recentHandling.get(categoryId);
        if (list == null || list.isEmpty()) {
            Duration d = config.settings().defaultHandlingTime();
            return d == null ? 0 : d.toMillis();
        }
        int n = Math.min(Math.max(1, config.settings().handlingAverageSamples()), list.size());
        return FiguresAccumulator.mean(list.subList(list.size() - n, list.size()));
    }

    /**
     * Estimated waiting time for someone with {@code peopleAhead} before them (R14): people ahead ×
     * rolling average handling time ÷ open windows serving the category, rounded to seconds; -1
     * when no window serving it is open.
     */
    long estimateSeconds(String categoryId, int peopleAhead) {
        int open = openWindowsServing(categoryId);
        if (open == 0) {
            return -1;
        }
        return Math.round(peopleAhead * averageHandlingMillis(categoryId) / open / 1000.0);
    }

    /**
     * Tickets a new ticket of this class would have ahead of it: for a normal ticket everyone
     * waiting in the category, for a priority ticket the priority ones waiting (R1, R10).
     */
    int peopleAheadOfNew(String categoryId, PriorityClass priority) {
        int n = 0;
        for (Ticket t : tickets.values()) {
            if (t.state == TicketState.WAITING && t.categoryId.equals(categoryId)
                    && (priority == PriorityClass.NORMAL || t.isPriority())) {
                n++;
            }
        }
        return n;
    }

    /** The window's candidates in the default calling order (see the class documentation). */
    List<Ticket> candidates(WindowConfig wc) {
        List<String> cats = servedCategories(wc);
        List<Ticket> out = new ArrayList<>();
        for (Ticket t : tickets.values()) {
            if (t.state == TicketState.WAITING && cats.contains(t.categoryId)
                    && (t.targetWindowId == null || t.targetWindowId.equals(wc.id()))) {
                out.add(t);
            }
        }
        out.sort(Comparator.comparingInt(Ticket::rank).thenComparing((Ticket t) -> t.placeTime)
                .thenComparingInt(t -> cats.indexOf(t.categoryId)).thenComparingLong(t -> t.placeSeq)
                .thenComparing(t -> t.number));
        return out;
    }

    /**
     * The core's default choice among candidates in default order: the first, unless the fairness
     * bound (R1) lets the oldest normal ticket go first.
     */
    Ticket defaultChoice(List<Ticket> ordered, Instant now) {
        Ticket first = ordered.get(0);
        if (!first.isPriority()) {
            return first;
        }
        Ticket oldestNormal = null;
        for (Ticket t : ordered) {
            if (!t.isPriority()) {
                oldestNormal = t;
                break;
            }
        }
        if (oldestNormal == null) {
            return first;
        }
        QueueSettings s = config.settings();
        boolean tooManyPriority = s.maxConsecutivePriorityCalls() > 0
                && consecutivePriorityCalls >= s.maxConsecutivePriorityCalls();
        Duration maxWait = s.maxNormalWait();
        boolean waitedTooLong = maxWait != null && !maxWait.isNegative() && !maxWait.isZero()
                && Duration.between(oldestNormal.waitingSince, now).compareTo(maxWait) > 0;
        return tooManyPriority || waitedTooLong ? oldestNormal : first;
    }

    /** Sort key of a re-activated ticket and the number of tickets ahead of it in its group. */
    record Place(Instant time, long seq, int ahead) {
    }

    /**
     * Where a re-activated no-show goes (R11): behind {@code placesBehindHead} waiting tickets of its
     * category and rank (fewer if fewer wait), with a sort key strictly between its neighbours.
     */
    Place reactivationPlace(Ticket ticket, int placesBehindHead) {
        List<Ticket> group = new ArrayList<>();
        for (Ticket t : tickets.values()) {
            if (t.state == TicketState.WAITING && t.categoryId.equals(ticket.categoryId) && t.rank() == ticket.rank()
                    && t != ticket) {
                group.add(t);
            }
        }
        group.sort(PLACE_ORDER);
        int ahead = Math.min(Math.max(0, placesBehindHead), group.size());
        Ticket prev = ahead > 0 ? group.get(ahead - 1) : null;
        Ticket next = ahead < group.size() ? group.get(ahead) : null;
        Instant ownTime = ticket.issuedAt;
        long ownSeq = ticket.issueSeq * PLACE_SPACING;
        if (prev == null) {
            if (next == null || compareKey(ownTime, ownSeq, ticket.number, next) < 0) {
                return new Place(ownTime, ownSeq, ahead);
            }
            return new Place(next.placeTime, next.placeSeq - PLACE_SPACING / 2, ahead);
        }
        if (next == null || prev.placeTime.isBefore(next.placeTime)) {
            return new Place(prev.placeTime, prev.placeSeq + PLACE_SPACING / 2, ahead);
        }
        // Same place time: take the middle of the two sequence numbers. When they are adjacent
        // (many re-activations at the very same spot) the key equals prev's and the number decides.
        long gap = next.placeSeq - prev.placeSeq;
        return new Place(prev.placeTime, gap >= 2 ? prev.placeSeq + gap / 2 : prev.placeSeq, ahead);
    }

    private static int compareKey(Instant time, long seq, String number, Ticket other) {
        int c = time.compareTo(other.placeTime);
        if (c != 0) {
            return c;
        }
        c = Long.compare(seq, other.placeSeq);
        return c != 0 ? c : number.compareTo(other.number);
    }

    static WaitingTicket waiting(Ticket t) {
        return new WaitingTicket(t.number, t.categoryId, t.priority, t.issuedAt, t.waitingSince, t.targetWindowId,
                t.reactivated);
    }

    /**
     * Next number of a category today, or null when all its numbers ({@link CategoryConfig#maxNumber()})
     * are used. A category switched from three to four digits during the day goes on after its
     * last number (A998, A999, A1000); switched back, it issues no more that day once past 999.
     */
    String nextNumber(CategoryConfig category) {
        int last = lastNumbers.getOrDefault(category.id(), 0);
        if (last >= category.maxNumber()) {
            return null;
        }
        return category.id() + String.format(category.numberDigits() == CategoryConfig.MAX_DIGITS ? "%04d" : "%03d",
                last + 1);
    }
}
