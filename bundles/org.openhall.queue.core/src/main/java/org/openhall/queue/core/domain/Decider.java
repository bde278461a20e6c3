package org.openhall.queue.core.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.openhall.api.config.Credentials;
import org.openhall.api.policy.CallingContext;
import org.openhall.api.policy.CallingPolicy;
import org.openhall.api.policy.CloseGate;
import org.openhall.api.policy.IssueGate;
import org.openhall.api.policy.IssueRequest;
import org.openhall.api.policy.IssueVerdict;
import org.openhall.api.policy.WaitingTicket;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.Alert;
import org.openhall.api.queue.Evaluation;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.Appointment;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.SignInChallenge;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.ManualCase;
import org.openhall.api.queue.Outcome;
import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.QueueError;
import org.openhall.api.queue.TicketState;
import org.openhall.api.queue.TransferTarget;
import org.openhall.api.queue.WindowState;

/**
 * The validation half of {@link HallState}: turns one command into a {@link Decision} without
 * changing the state. Refusals are thrown internally as {@link Refusal} and returned as
 * {@link Decision.Rejected}.
 */
final class Decider {

    private final HallState state;
    private final HallConfig config;
    private final Instant now;
    private final CallingPolicy policy;
    private final Policies policies;
    /** Policies that failed during this decision, for the engine's log. */
    private final List<String> notes = new ArrayList<>();

    Decider(HallState state, Instant now, Policies policies) {
        this.state = state;
        this.config = state.config();
        this.now = now;
        this.policies = policies;
        this.policy = policies.calling();
    }

    Decision decide(Command c) {
        try {
            if (c instanceof Command.IssueTicket x) {
                return issue(x);
            } else if (c instanceof Command.CheckIn x) {
                return checkIn(x);
            } else if (c instanceof Command.CallNext x) {
                return callNext(x);
            } else if (c instanceof Command.Recall x) {
                return recall(x);
            } else if (c instanceof Command.Start x) {
                return start(x);
            } else if (c instanceof Command.Finish x) {
                return finish(x);
            } else if (c instanceof Command.Transfer x) {
                return transfer(x);
            } else if (c instanceof Command.MarkNoShow x) {
                return markNoShow(x);
            } else if (c instanceof Command.Reactivate x) {
                return reactivate(x);
            } else if (c instanceof Command.Pause x) {
                return pause(x);
            } else if (c instanceof Command.Resume x) {
                return resume(x);
            } else if (c instanceof Command.OpenWindow x) {
                return openWindow(x);
            } else if (c instanceof Command.CloseWindow x) {
                return closeWindow(x);
            } else if (c instanceof Command.RecordManualCase x) {
                return manualCase(x);
            } else if (c instanceof Command.StartDay x) {
                return startDay(x);
            } else if (c instanceof Command.Evaluate x) {
                return evaluate(x);
            } else if (c instanceof Command.RaiseAlert x) {
                return raiseAlert(x);
            } else if (c instanceof Command.ClearAlert x) {
                return clearAlert(x);
            } else if (c instanceof Command.AssignCategories x) {
                return assignCategories(x);
            } else if (c instanceof Command.PutPolicyState x) {
                return putPolicyState(x);
            } else if (c instanceof Command.SetPhase x) {
                return setPhase(x);
            }
            throw new IllegalArgumentException("unknown command " + c.getClass().getName());
        } catch (Refusal r) {
            return new Decision.Rejected(r.error);
        }
    }

    // ---- tickets at the kiosk --------------------------------------------------------------

    private Decision issue(Command.IssueTicket x) {
        require(x.categoryId(), "categoryId");
        if (x.priority() == null) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "priority is required");
        }
        // An APPOINTMENT priority is accepted here too: a kiosk or the console may have checked the
        // booking itself. checkIn is the operation that checks the slot (R10).
        CategoryConfig cat = category(x.categoryId());
        if (x.serviceItemId() != null && item(cat, x.serviceItemId()) == null) {
            throw refuse(ErrorCode.UNKNOWN_SERVICE_ITEM,
                    "service item " + x.serviceItemId() + " is not an item of category " + cat.id());
        }
        requireOpenHall();
        PriorityClass priority = gates(new IssueRequest(x.actor(), cat.id(), x.priority(), x.serviceItemId(), null,
                null, null));
        return newTicket(x.actor(), cat, priority, x.serviceItemId(), null);
    }

    private Decision checkIn(Command.CheckIn x) {
        Appointment a = x.appointment();
        if (a == null) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "appointment is required");
        }
        require(a.code(), "appointment code");
        require(a.categoryId(), "appointment categoryId");
        if (a.slotStart() == null || a.slotEnd() == null || a.slotEnd().isBefore(a.slotStart())) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "appointment " + a.code() + " needs a slot start and end, in order");
        }
        CategoryConfig cat = category(a.categoryId());
        if (state.appointmentCodes.contains(a.code())) {
            throw refuse(ErrorCode.ILLEGAL_STATE, "appointment " + a.code() + " was already checked in today");
        }
        requireOpenHall();
        // R10: within the slot (from APPOINTMENT_EARLY_TOLERANCE before its start to its end) an
        // appointment ticket; late (and very early) arrivals get an ordinary ticket.
        boolean inSlot = !now.isBefore(a.slotStart().minus(HallState.APPOINTMENT_EARLY_TOLERANCE))
                && !now.isAfter(a.slotEnd());
        PriorityClass priority = inSlot ? PriorityClass.APPOINTMENT : PriorityClass.NORMAL;
        priority = gates(new IssueRequest(x.actor(), cat.id(), priority, null, a.code(), a.slotStart(), a.slotEnd()));
        return newTicket(x.actor(), cat, priority, null, a.code());
    }

    private Decision newTicket(Actor actor, CategoryConfig cat, PriorityClass priority, String serviceItemId,
            String appointmentCode) {
        String number = state.nextNumber(cat);
        if (number == null) {
            throw refuse(ErrorCode.HALL_CLOSED, "category " + cat.id() + " has used all " + cat.maxNumber()
                    + " ticket numbers of " + state.day + "; numbers are never reused within a day");
        }
        int ahead = state.peopleAheadOfNew(cat.id(), priority);
        long estimate = state.estimateSeconds(cat.id(), ahead);
        DomainEvent e = new DomainEvent.TicketIssued(now, actor, number, cat.id(), serviceItemId, priority,
                appointmentCode, ahead, estimate);
        return accept(List.of(e), new ResultSpec.IssuedTicketResult(number, ahead, estimate));
    }

    /**
     * Asks the issue gates in order (R3, R10 …): each sees the priority the ones before chose; the
     * first refusal is thrown. A gate that throws is noted and skipped.
     */
    private PriorityClass gates(IssueRequest request) {
        IssueRequest current = request;
        for (IssueGate gate : policies.issueGates()) {
            IssueVerdict verdict;
            try {
                verdict = gate.check(current, new StateView(state, now));
            } catch (Exception | LinkageError e) {
                notes.add("issue gate " + gate.getClass().getName() + " failed (" + e + "); it was skipped");
                continue;
            }
            if (verdict == null) {
                continue;
            }
            if (verdict.refused()) {
                throw refuse(verdict.refusal(), verdict.message());
            }
            if (verdict.priority() != null) {
                current = current.withPriority(verdict.priority());
            }
        }
        return current.priority();
    }

    private void requireOpenHall() {
        if (!state.isOpenForIssuing(now)) {
            throw refuse(ErrorCode.HALL_CLOSED, "the hall does not issue tickets at "
                    + now.atZone(config.zone()).toLocalDateTime() + " (opening hours or holiday, R13)");
        }
    }

    // ---- calling ---------------------------------------------------------------------------

    private Decision callNext(Command.CallNext x) {
        WindowConfig wc = windowConfig(x.windowId());
        WindowSlot w = state.slotOrClosed(wc.id());
        requireSignedIn(x.actor(), w);
        requireActive(w);
        if (w.state != WindowState.IDLE) {
            throw refuse(ErrorCode.ILLEGAL_STATE, "window " + wc.id() + " already has ticket " + w.ticketNumber
                    + " " + (w.state == WindowState.CALLING ? "called" : "in service")
                    + "; finish it, transfer it or mark it no-show first");
        }
        List<Ticket> candidates = state.candidates(wc);
        if (candidates.isEmpty()) {
            throw refuse(ErrorCode.NO_TICKET_WAITING,
                    "nobody waits for window " + wc.id() + " (categories "
                            + String.join(", ", state.servedCategories(wc)) + ")");
        }
        Ticket chosen = state.defaultChoice(candidates, now);
        String note = null;
        if (policy != null) {
            String policyName = policy.getClass().getName();
            List<WaitingTicket> waiting = candidates.stream().map(HallState::waiting).toList();
            CallingContext context = new CallingContext(state.windowView(wc), waiting,
                    state.consecutivePriorityCalls, chosen.number, now);
            Optional<String> answer;
            try {
                answer = policy.chooseNext(context);
            } catch (Exception | LinkageError e) {
                answer = null;
                note = "calling policy " + policyName + " failed (" + e + "); the default choice " + chosen.number
                        + " was called at window " + wc.id();
            }
            if (answer != null && answer.isEmpty()) {
                throw refuse(ErrorCode.REFUSED_BY_POLICY,
                        "calling policy " + policyName + " chose to call nobody at window " + wc.id());
            }
            if (answer != null) {
                String number = answer.get();
                Ticket picked = candidates.stream().filter(t -> t.number.equals(number)).findFirst().orElse(null);
                if (picked == null) {
                    note = "calling policy " + policyName + " answered " + number
                            + ", which is not a candidate of window " + wc.id() + "; the default choice "
                            + chosen.number + " was called";
                } else {
                    chosen = picked;
                }
            } else if (note == null) {
                note = "calling policy " + policyName + " answered null; the default choice " + chosen.number
                        + " was called at window " + wc.id();
            }
        }
        DomainEvent e = new DomainEvent.TicketCalled(now, x.actor(), chosen.number, chosen.categoryId, chosen.priority,
                wc.id(), w.staffId);
        return new Decision.Accepted(List.of(e), new ResultSpec.TicketResult(chosen.number), note);
    }

    private Decision recall(Command.Recall x) {
        WindowConfig wc = windowConfig(x.windowId());
        WindowSlot w = state.slotOrClosed(wc.id());
        requireSignedIn(x.actor(), w);
        requireActive(w);
        Ticket t = requireWindowTicket(wc, w, WindowState.CALLING, "recall");
        DomainEvent e = new DomainEvent.TicketRecalled(now, x.actor(), t.number, t.categoryId, wc.id(), w.staffId,
                t.calls + 1);
        return accept(List.of(e), new ResultSpec.TicketResult(t.number));
    }

    private Decision start(Command.Start x) {
        WindowConfig wc = windowConfig(x.windowId());
        WindowSlot w = state.slotOrClosed(wc.id());
        requireSignedIn(x.actor(), w);
        requireActive(w);
        Ticket t = requireWindowTicket(wc, w, WindowState.CALLING, "start serving");
        DomainEvent e = new DomainEvent.ServiceStarted(now, x.actor(), t.number, t.categoryId, wc.id(), w.staffId,
                t.serviceItemId);
        return accept(List.of(e), new ResultSpec.TicketResult(t.number));
    }

    private Decision markNoShow(Command.MarkNoShow x) {
        WindowConfig wc = windowConfig(x.windowId());
        WindowSlot w = state.slotOrClosed(wc.id());
        requireSignedIn(x.actor(), w);
        requireActive(w);
        Ticket t = requireWindowTicket(wc, w, WindowState.CALLING, "mark a no-show");
        DomainEvent e = new DomainEvent.TicketNoShow(now, x.actor(), t.number, t.categoryId, wc.id(), w.staffId,
                t.calls);
        return accept(List.of(e), new ResultSpec.TicketResult(t.number));
    }

    // ---- ending a transaction ----------------------------------------------------------------

    private Decision finish(Command.Finish x) {
        Finish f = x.finish();
        if (f == null) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "finish is required");
        }
        WindowConfig wc = windowConfig(x.windowId());
        WindowSlot w = state.slotOrClosed(wc.id());
        requireSignedIn(x.actor(), w);
        requireActive(w);
        Ticket t = requireWindowTicket(wc, w, WindowState.SERVING, "finish a transaction");
        ServiceItemConfig item;
        String itemId;
        if (f.serviceItemId() != null) {
            item = anyItem(f.serviceItemId());
            if (item == null) {
                throw refuse(ErrorCode.UNKNOWN_SERVICE_ITEM, "service item " + f.serviceItemId() + " is not configured");
            }
            itemId = f.serviceItemId();
        } else {
            itemId = t.serviceItemId;
            item = itemId == null ? null : anyItem(itemId);
        }
        validateOutcome(f, item, t.categoryId, wc.id());
        List<DomainEvent> events = new ArrayList<>();
        events.add(new DomainEvent.ServiceFinished(now, x.actor(), t.number, t.categoryId, wc.id(), w.staffId, itemId,
                f.outcome(), f.missingMaterials(), blankToNull(f.reason()), blankToNull(f.legalBasis()), t.startedAt,
                timeLimitSeconds(item)));
        if (f.outcome() == Outcome.TRANSFERRED) {
            TransferTarget to = f.transferTo();
            events.add(new DomainEvent.TicketTransferred(now, x.actor(), t.number, t.categoryId, wc.id(), w.staffId,
                    to.categoryId(), to.windowId()));
        }
        return accept(events, new ResultSpec.TicketResult(t.number));
    }

    private Decision transfer(Command.Transfer x) {
        if (x.target() == null) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "a transfer needs a target category");
        }
        WindowConfig wc = windowConfig(x.windowId());
        WindowSlot w = state.slotOrClosed(wc.id());
        requireSignedIn(x.actor(), w);
        requireActive(w);
        if (w.state != WindowState.CALLING && w.state != WindowState.SERVING) {
            throw refuse(ErrorCode.ILLEGAL_STATE, "window " + wc.id() + " has no ticket called or in service to transfer");
        }
        Ticket t = ticketOf(w);
        validateTarget(x.target(), t.categoryId, wc.id());
        DomainEvent e = new DomainEvent.TicketTransferred(now, x.actor(), t.number, t.categoryId, wc.id(), w.staffId,
                x.target().categoryId(), x.target().windowId());
        return accept(List.of(e), new ResultSpec.TicketResult(t.number));
    }

    /** R8: every outcome carries what the citizen must be told. */
    private void validateOutcome(Finish f, ServiceItemConfig item, String fromCategory, String fromWindow) {
        switch (f.outcome()) {
            case DONE -> {
                // nothing more to say
            }
            case MATERIALS_INCOMPLETE -> {
                // 一次性告知: the full list, in one go, from the item's checklist when there is one.
                if (f.missingMaterials().isEmpty()) {
                    throw refuse(ErrorCode.INVALID_ARGUMENT,
                            "materials incomplete needs the list of missing materials, all of them in one go (R8)");
                }
                Set<String> seen = new HashSet<>();
                for (String m : f.missingMaterials()) {
                    if (m == null || m.isBlank()) {
                        throw refuse(ErrorCode.INVALID_ARGUMENT, "a missing material is empty");
                    }
                    if (!seen.add(m)) {
                        throw refuse(ErrorCode.INVALID_ARGUMENT, "missing material '" + m + "' is listed twice");
                    }
                    if (item != null && !item.materials().isEmpty() && !item.materials().contains(m)) {
                        throw refuse(ErrorCode.INVALID_ARGUMENT, "'" + m + "' is not on the checklist of service item "
                                + item.id() + " (" + String.join(", ", item.materials()) + ")");
                    }
                }
            }
            case REFUSED -> {
                if (isBlank(f.reason()) || isBlank(f.legalBasis())) {
                    throw refuse(ErrorCode.INVALID_ARGUMENT, "a refusal needs a reason and its legal basis (R8)");
                }
            }
            case TRANSFERRED -> validateTarget(f.transferTo(), fromCategory, fromWindow);
            default -> throw refuse(ErrorCode.INVALID_ARGUMENT, "unknown outcome " + f.outcome());
        }
        if (f.outcome() != Outcome.MATERIALS_INCOMPLETE && !f.missingMaterials().isEmpty()) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "missing materials are only given with MATERIALS_INCOMPLETE");
        }
    }

    /** R9: a transfer goes to an existing category, optionally to one window serving it. */
    private void validateTarget(TransferTarget to, String fromCategory, String fromWindow) {
        if (to == null) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "a transfer needs a target category");
        }
        require(to.categoryId(), "transfer target categoryId");
        CategoryConfig cat = category(to.categoryId());
        if (to.windowId() != null) {
            WindowConfig target = windowConfig(to.windowId());
            if (!state.servedCategories(target).contains(cat.id())) {
                throw refuse(ErrorCode.CATEGORY_NOT_SERVED,
                        "window " + target.id() + " does not serve category " + cat.id());
            }
            if (target.id().equals(fromWindow) && cat.id().equals(fromCategory)) {
                throw refuse(ErrorCode.INVALID_ARGUMENT,
                        "a ticket cannot be transferred to the window and category it is at");
            }
        } else if (cat.id().equals(fromCategory)) {
            throw refuse(ErrorCode.INVALID_ARGUMENT,
                    "a transfer within category " + cat.id() + " needs a target window");
        }
    }

    // ---- no-shows ----------------------------------------------------------------------------

    private Decision reactivate(Command.Reactivate x) {
        require(x.ticketNumber(), "ticket number");
        Ticket t = state.tickets.get(x.ticketNumber());
        if (t == null) {
            throw refuse(ErrorCode.UNKNOWN_TICKET, "no ticket " + x.ticketNumber() + " today (" + state.day + ")");
        }
        if (t.state != TicketState.NO_SHOW) {
            throw refuse(ErrorCode.ILLEGAL_STATE,
                    "ticket " + t.number + " is " + t.state + "; only a no-show can be re-activated");
        }
        Duration window = config.settings().reactivationWindow();
        if (window == null || now.isAfter(t.noShowAt.plus(window))) {
            throw refuse(ErrorCode.EXPIRED, "ticket " + t.number + " was marked no-show at " + t.noShowAt
                    + "; the re-activation period of " + window + " has passed (R11)");
        }
        HallState.Place place = state.reactivationPlace(t, config.settings().reactivationPlacesBehindHead());
        DomainEvent e = new DomainEvent.TicketReactivated(now, x.actor(), t.number, t.categoryId, place.time(),
                place.seq(), place.ahead());
        return accept(List.of(e), new ResultSpec.TicketResult(t.number));
    }

    // ---- windows -----------------------------------------------------------------------------

    private Decision pause(Command.Pause x) {
        if (x.kind() == null) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "pause kind is required");
        }
        WindowConfig wc = windowConfig(x.windowId());
        WindowSlot w = state.slotOrClosed(wc.id());
        requireSignedIn(x.actor(), w);
        if (!w.isOpen()) {
            throw refuse(ErrorCode.WINDOW_NOT_OPEN, "window " + wc.id() + " is closed");
        }
        if (w.state == WindowState.PAUSED) {
            throw refuse(ErrorCode.ILLEGAL_STATE, "window " + wc.id() + " is already paused");
        }
        String reason = blankToNull(x.reason());
        String returned = null;
        if (x.kind() == PauseKind.SUSPENDED) {
            if (reason == null) {
                throw refuse(ErrorCode.INVALID_ARGUMENT, "a suspension needs a reason (R4)");
            }
            if (w.state == WindowState.SERVING) {
                throw refuse(ErrorCode.ILLEGAL_STATE, "window " + wc.id() + " is serving " + w.ticketNumber
                        + "; finish or transfer it before suspending");
            }
            if (w.state == WindowState.CALLING) {
                returned = w.ticketNumber; // R4: its waiting citizens go to other windows
            }
        }
        DomainEvent e = new DomainEvent.WindowPaused(now, x.actor(), wc.id(), w.staffId, x.kind(), reason, returned);
        return accept(List.of(e), new ResultSpec.WindowResult(wc.id()));
    }

    private Decision resume(Command.Resume x) {
        WindowConfig wc = windowConfig(x.windowId());
        WindowSlot w = state.slotOrClosed(wc.id());
        requireSignedIn(x.actor(), w);
        if (!w.isOpen()) {
            throw refuse(ErrorCode.WINDOW_NOT_OPEN, "window " + wc.id() + " is closed");
        }
        if (w.state != WindowState.PAUSED) {
            throw refuse(ErrorCode.ILLEGAL_STATE, "window " + wc.id() + " is not paused");
        }
        DomainEvent e = new DomainEvent.WindowResumed(now, x.actor(), wc.id(), w.staffId);
        return accept(List.of(e), new ResultSpec.WindowResult(wc.id()));
    }

    private Decision openWindow(Command.OpenWindow x) {
        require(x.staffId(), "staffId");
        if (x.credential() == null || x.credential().isEmpty()) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "a credential is required to sign in (R17)");
        }
        WindowConfig wc = windowConfig(x.windowId());
        StaffConfig staff = config.staffMember(x.staffId())
                .orElseThrow(() -> refuse(ErrorCode.UNKNOWN_STAFF, "no staff member " + x.staffId()));
        if (x.actor().kind() == Actor.Kind.STAFF && !x.actor().id().equals(staff.id())) {
            throw refuse(ErrorCode.INVALID_ARGUMENT,
                    "staff " + x.actor().id() + " cannot sign in as " + staff.id() + " (R17: own credentials)");
        }
        WindowSlot w = state.slotOrClosed(wc.id());
        if (w.isOpen()) {
            throw refuse(ErrorCode.ILLEGAL_STATE, "window " + wc.id() + " is already open (staff " + w.staffId + ")");
        }
        boolean matches = SignInChallenge.isAnswer(x.credential())
                ? SignInChallenge.verify(x.credential(), wc.id(), staff.id(), staff.credentialHash())
                : Credentials.verify(x.credential(), staff.credentialHash());
        if (!matches) {
            throw refuse(ErrorCode.BAD_CREDENTIALS, "the credential of staff " + staff.id() + " does not match");
        }
        for (WindowSlot other : state.windows.values()) {
            // Windows removed from the configuration do not hold their staff.
            if (other.isOpen() && staff.id().equals(other.staffId) && config.window(other.id).isPresent()) {
                throw refuse(ErrorCode.ILLEGAL_STATE,
                        "staff " + staff.id() + " is signed in at window " + other.id + "; close it first");
            }
        }
        DomainEvent e = new DomainEvent.WindowOpened(now, x.actor(), wc.id(), staff.id());
        return accept(List.of(e), new ResultSpec.WindowResult(wc.id()));
    }

    private Decision closeWindow(Command.CloseWindow x) {
        WindowConfig wc = windowConfig(x.windowId());
        WindowSlot w = state.slotOrClosed(wc.id());
        requireSignedIn(x.actor(), w);
        if (!w.isOpen()) {
            throw refuse(ErrorCode.WINDOW_NOT_OPEN, "window " + wc.id() + " is already closed");
        }
        if (w.ticketNumber != null) {
            throw refuse(ErrorCode.ILLEGAL_STATE, "window " + wc.id() + " still has ticket " + w.ticketNumber
                    + " called or in service; finish, transfer or mark it no-show first");
        }
        for (CloseGate gate : policies.closeGates()) {
            Optional<String> why;
            try {
                why = gate.refuseClose(state.windowView(wc), new StateView(state, now));
            } catch (Exception | LinkageError e) {
                notes.add("close gate " + gate.getClass().getName() + " failed (" + e + "); it was skipped");
                continue;
            }
            if (why != null && why.isPresent()) {
                throw refuse(ErrorCode.REFUSED_BY_POLICY, why.get());
            }
        }
        DomainEvent e = new DomainEvent.WindowClosed(now, x.actor(), wc.id(), w.staffId);
        return accept(List.of(e), new ResultSpec.WindowResult(wc.id()));
    }

    // ---- manual cases and the day ------------------------------------------------------------

    private Decision manualCase(Command.RecordManualCase x) {
        ManualCase m = x.manualCase();
        if (m == null) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "manual case is required");
        }
        require(m.categoryId(), "categoryId");
        require(m.windowId(), "windowId");
        require(m.staffId(), "staffId");
        Finish f = m.finish();
        if (f == null) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "the manual case's outcome is required");
        }
        if (f.outcome() == Outcome.TRANSFERRED) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "a manual case cannot end with a transfer");
        }
        if (m.arrivedAt() == null || m.startedAt() == null || m.finishedAt() == null) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "a manual case needs arrival, start and finish times");
        }
        if (m.startedAt().isBefore(m.arrivedAt()) || m.finishedAt().isBefore(m.startedAt())
                || m.finishedAt().isAfter(now)) {
            throw refuse(ErrorCode.INVALID_ARGUMENT,
                    "a manual case's times must be in order: arrived ≤ started ≤ finished ≤ now");
        }
        if (!state.businessDay(m.arrivedAt()).equals(state.day)) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "the manual case arrived on " + state.businessDay(m.arrivedAt())
                    + ", not on the current day " + state.day);
        }
        CategoryConfig cat = category(m.categoryId());
        windowConfig(m.windowId());
        if (config.staffMember(m.staffId()).isEmpty()) {
            throw refuse(ErrorCode.UNKNOWN_STAFF, "no staff member " + m.staffId());
        }
        if (m.serviceItemId() != null && f.serviceItemId() != null && !m.serviceItemId().equals(f.serviceItemId())) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "the manual case names two service items: " + m.serviceItemId()
                    + " and " + f.serviceItemId());
        }
        String itemId = m.serviceItemId() != null ? m.serviceItemId() : f.serviceItemId();
        ServiceItemConfig item = null;
        if (itemId != null) {
            item = item(cat, itemId);
            if (item == null) {
                throw refuse(ErrorCode.UNKNOWN_SERVICE_ITEM,
                        "service item " + itemId + " is not an item of category " + cat.id());
            }
        }
        validateOutcome(f, item, cat.id(), m.windowId());
        String number = state.nextNumber(cat);
        if (number == null) {
            throw refuse(ErrorCode.HALL_CLOSED, "category " + cat.id() + " has used all " + cat.maxNumber()
                    + " ticket numbers of " + state.day);
        }
        DomainEvent e = new DomainEvent.CaseRecorded(now, x.actor(), number, cat.id(), itemId, m.windowId(),
                m.staffId(), m.arrivedAt(), m.startedAt(), m.finishedAt(), f.outcome(), f.missingMaterials(),
                blankToNull(f.reason()), blankToNull(f.legalBasis()), timeLimitSeconds(item));
        return accept(List.of(e), new ResultSpec.TicketResult(number));
    }

    private Decision startDay(Command.StartDay x) {
        if (x.day() == null) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "day is required");
        }
        if (!x.day().isAfter(state.day)) {
            throw refuse(ErrorCode.ILLEGAL_STATE, "day " + x.day() + " is not after the current day " + state.day);
        }
        List<String> unfinished = new ArrayList<>();
        for (Ticket t : state.tickets.values()) {
            if (t.state == TicketState.WAITING || t.state == TicketState.CALLED || t.state == TicketState.SERVING) {
                unfinished.add(t.number);
            }
        }
        int retention = Math.max(0, config.settings().retentionDays());
        DomainEvent e = new DomainEvent.DayStarted(now, x.actor(), x.day(), state.day, unfinished,
                x.day().minusDays(retention));
        return accept(List.of(e), new ResultSpec.DayResult(x.day()));
    }

    // ---- helpers -----------------------------------------------------------------------------

    // ---- evaluations, alerts, tidal windows, policy state, phase (API 1.1) -----------------------

    private Decision evaluate(Command.Evaluate x) {
        if (x.actor().kind() == Actor.Kind.STAFF) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "staff cannot rate for the citizen (R7): the window's evaluator rates");
        }
        if (x.level() < Evaluation.LOWEST || x.level() > Evaluation.HIGHEST) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "level must be 1..5, not " + x.level());
        }
        WindowConfig wc = windowConfig(x.windowId());
        WindowSlot w = state.slotOrClosed(wc.id());
        if (w.armedTicket == null) {
            throw refuse(ErrorCode.ILLEGAL_STATE, "window " + wc.id() + " has no finished transaction to rate"
                    + " (one rating per transaction, R7)");
        }
        if (now.isAfter(w.armedAt.plus(HallState.EVALUATION_TIMEOUT))) {
            throw refuse(ErrorCode.EXPIRED, "the rating of ticket " + w.armedTicket + " at window " + wc.id()
                    + " was due within " + HallState.EVALUATION_TIMEOUT.toSeconds() + " s of its end; it stays not rated");
        }
        DomainEvent e = new DomainEvent.EvaluationRecorded(now, x.actor(), w.armedTicket, w.armedCategory, w.armedItem,
                wc.id(), w.armedStaff, x.level());
        Evaluation result = new Evaluation(w.armedTicket, wc.id(), w.armedStaff, w.armedCategory, w.armedItem,
                x.level(), now);
        return accept(List.of(e), new ResultSpec.ValueResult(result));
    }

    private Decision raiseAlert(Command.RaiseAlert x) {
        Alert a = x.alert();
        if (a == null) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "alert is required");
        }
        Alert active = state.alerts.get(a.id());
        if (active != null && active.kind().equals(a.kind()) && Objects.equals(active.categoryId(), a.categoryId())
                && Objects.equals(active.windowId(), a.windowId()) && Objects.equals(active.text(), a.text())) {
            return new Decision.Unchanged(new ResultSpec.AlertResult(a.id()));
        }
        DomainEvent e = new DomainEvent.AlertRaised(now, x.actor(), a.id(), a.kind(), blankToNull(a.categoryId()),
                blankToNull(a.windowId()), a.text());
        return accept(List.of(e), new ResultSpec.AlertResult(a.id()));
    }

    private Decision clearAlert(Command.ClearAlert x) {
        require(x.alertId(), "alertId");
        Alert active = state.alerts.get(x.alertId());
        if (active == null) {
            return new Decision.Unchanged(new ResultSpec.ValueResult(Boolean.FALSE));
        }
        DomainEvent e = new DomainEvent.AlertCleared(now, x.actor(), active.id(), active.kind(), active.categoryId(),
                active.windowId());
        return accept(List.of(e), new ResultSpec.ValueResult(Boolean.TRUE));
    }

    private Decision assignCategories(Command.AssignCategories x) {
        WindowConfig wc = windowConfig(x.windowId());
        WindowSlot w = state.slotOrClosed(wc.id());
        requireSignedIn(x.actor(), w);
        if (x.categoryIds() == null) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "categoryIds is required (empty to take them back)");
        }
        List<String> extra = new ArrayList<>();
        for (String id : x.categoryIds()) {
            CategoryConfig cat = category(id);
            if (!wc.categories().contains(cat.id()) && !extra.contains(cat.id())) {
                extra.add(cat.id());
            }
        }
        if (!extra.isEmpty() && !w.isOpen()) {
            throw refuse(ErrorCode.WINDOW_NOT_OPEN, "window " + wc.id() + " is closed: staff must sign in before "
                    + "categories are assigned to it (R2, R17)");
        }
        List<String> current = w.assigned == null ? List.of() : w.assigned;
        if (current.equals(extra)) {
            return new Decision.Unchanged(new ResultSpec.WindowResult(wc.id()));
        }
        DomainEvent e = new DomainEvent.WindowAssigned(now, x.actor(), wc.id(), extra);
        return accept(List.of(e), new ResultSpec.WindowResult(wc.id()));
    }

    private Decision putPolicyState(Command.PutPolicyState x) {
        require(x.policyId(), "policyId");
        require(x.key(), "key");
        if (!x.policyId().matches("[A-Za-z0-9._-]{1,100}")) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "policyId must be 1..100 of A-Z a-z 0-9 . _ -");
        }
        if (x.key().length() > 200) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "key longer than 200 characters");
        }
        if (x.value() != null && x.value().length() > HallQueue.MAX_POLICY_VALUE) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "value longer than " + HallQueue.MAX_POLICY_VALUE + " characters");
        }
        String stored = state.policyState(x.policyId()).get(x.key());
        if (Objects.equals(stored, x.value())) {
            return new Decision.Unchanged(new ResultSpec.ValueResult(Boolean.FALSE));
        }
        DomainEvent e = new DomainEvent.PolicyStateChanged(now, x.actor(), x.policyId(), x.key(), x.value());
        return accept(List.of(e), new ResultSpec.ValueResult(Boolean.TRUE));
    }

    private Decision setPhase(Command.SetPhase x) {
        if (x.phase() == null) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, "phase is required");
        }
        if (x.phase() == state.phase) {
            return new Decision.Unchanged(new ResultSpec.ValueResult(x.phase()));
        }
        return accept(List.of(new DomainEvent.HallPhaseChanged(now, x.actor(), x.phase())),
                new ResultSpec.ValueResult(x.phase()));
    }

    private CategoryConfig category(String id) {
        return config.category(id)
                .orElseThrow(() -> refuse(ErrorCode.UNKNOWN_CATEGORY, "no category " + id));
    }

    private WindowConfig windowConfig(String id) {
        require(id, "windowId");
        return config.window(id).orElseThrow(() -> refuse(ErrorCode.UNKNOWN_WINDOW, "no window " + id));
    }

    /**
     * R17: staff act under their own id. A STAFF actor may work a window only while signed in at
     * it; devices (a window's caller keypad) and the system act for whoever is signed in.
     */
    private static void requireSignedIn(Actor actor, WindowSlot w) {
        if (actor.kind() == Actor.Kind.STAFF && w.staffId != null && !actor.id().equals(w.staffId)) {
            throw refuse(ErrorCode.BAD_CREDENTIALS, "staff " + actor.id() + " is not signed in at window " + w.id
                    + " (staff " + w.staffId + " is); every action is attributed to the person doing it (R17)");
        }
    }

    /** A window that calls, starts, finishes … must be open and not paused (R4). */
    private static void requireActive(WindowSlot w) {
        if (!w.isOpen()) {
            throw refuse(ErrorCode.WINDOW_NOT_OPEN, "window " + w.id + " is closed; sign in first");
        }
        if (w.state == WindowState.PAUSED) {
            throw refuse(ErrorCode.WINDOW_NOT_OPEN, "window " + w.id + " is paused; resume it first");
        }
    }

    private Ticket requireWindowTicket(WindowConfig wc, WindowSlot w, WindowState needed, String what) {
        if (w.state != needed) {
            String has = switch (w.state) {
                case IDLE -> "has no ticket";
                case CALLING -> "has ticket " + w.ticketNumber + " called, not started";
                case SERVING -> "is serving ticket " + w.ticketNumber;
                default -> "is " + w.state;
            };
            throw refuse(ErrorCode.ILLEGAL_STATE, "cannot " + what + ": window " + wc.id() + " " + has);
        }
        return ticketOf(w);
    }

    private Ticket ticketOf(WindowSlot w) {
        Ticket t = w.ticketNumber == null ? null : state.tickets.get(w.ticketNumber);
        if (t == null) {
            throw refuse(ErrorCode.INTERNAL, "window " + w.id + " refers to ticket " + w.ticketNumber
                    + " which is not in the state");
        }
        return t;
    }

    private static ServiceItemConfig item(CategoryConfig cat, String itemId) {
        return cat.serviceItems().stream().filter(i -> i.id().equals(itemId)).findFirst().orElse(null);
    }

    /** Service item ids are unique in the hall; a window may state any item it handled. */
    private ServiceItemConfig anyItem(String itemId) {
        for (CategoryConfig c : config.categories()) {
            ServiceItemConfig i = item(c, itemId);
            if (i != null) {
                return i;
            }
        }
        return null;
    }

    private static Long timeLimitSeconds(ServiceItemConfig item) {
        return item == null || item.timeLimit() == null ? null : item.timeLimit().toSeconds();
    }

    private static void require(String value, String name) {
        if (isBlank(value)) {
            throw refuse(ErrorCode.INVALID_ARGUMENT, name + " is required");
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String blankToNull(String s) {
        return isBlank(s) ? null : s;
    }

    private Decision accept(List<DomainEvent> events, ResultSpec result) {
        return new Decision.Accepted(events, result, notes.isEmpty() ? null : String.join("; ", notes));
    }

    private static Refusal refuse(ErrorCode code, String message) {
        return new Refusal(new QueueError(code, message));
    }

    /** A refusal travelling up to {@link #decide}; cheap: no stack trace. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient QueueError error;

        Refusal(QueueError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }
}
