package org.openhall.queue.core.domain;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

import org.openhall.api.queue.Alert;
import org.openhall.api.queue.HallPhase;

import org.openhall.api.queue.Actor;
import org.openhall.api.queue.Appointment;
import org.openhall.api.queue.ManualCase;
import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.TransferTarget;

/**
 * A request to change the hall: one record per {@link org.openhall.api.queue.HallQueue} operation,
 * plus {@link StartDay} for the day rollover. Commands are inputs; {@link HallState#decide} turns
 * one into either an error or the {@link DomainEvent}s that carry it out.
 *
 * <p>Every command carries its {@link Actor} (R17). Only the actor is checked for null here;
 * every other argument may be null or malformed (it may come from MQTT) and is validated by
 * {@link HallState#decide}, which answers {@link org.openhall.api.queue.ErrorCode#INVALID_ARGUMENT}.
 *
 * <p>{@link #fingerprint()} is a stable text of the operation, its arguments and its actor: the
 * engine compares it when a request id comes again, to detect a request id reused for a different
 * operation. It never contains a credential (the {@link OpenWindow} credential is left out).
 */
public sealed interface Command {

    /** Who performs the operation. */
    Actor actor();

    /**
     * A stable description of the operation and its arguments (and actor), without credentials.
     * Equal commands give equal fingerprints; the text does not change between releases unless
     * the command's arguments change.
     */
    String fingerprint();

    /**
     * The window the operation acts at, or null for operations that are not at a window (issuing
     * a ticket, alerts, the day). Records with a {@code windowId} component answer it themselves.
     */
    default String windowId() {
        return null;
    }

    /** {@link org.openhall.api.queue.HallQueue#issueTicket}: a walk-in ticket at a kiosk (R1). */
    record IssueTicket(Actor actor, String categoryId, PriorityClass priority, String serviceItemId)
            implements Command {
        public IssueTicket {
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public String fingerprint() {
            return Fingerprint.of("issueTicket", actor).add("category", categoryId).add("priority", priority)
                    .add("serviceItem", serviceItemId).text();
        }
    }

    /** {@link org.openhall.api.queue.HallQueue#checkIn}: a booked appointment arrives (R10). */
    record CheckIn(Actor actor, Appointment appointment) implements Command {
        public CheckIn {
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public String fingerprint() {
            Fingerprint f = Fingerprint.of("checkIn", actor);
            if (appointment == null) {
                return f.add("appointment", null).text();
            }
            return f.add("code", appointment.code()).add("category", appointment.categoryId())
                    .add("slotStart", appointment.slotStart()).add("slotEnd", appointment.slotEnd()).text();
        }
    }

    /** {@link org.openhall.api.queue.HallQueue#callNext}. */
    record CallNext(Actor actor, String windowId) implements Command {
        public CallNext {
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public String fingerprint() {
            return Fingerprint.of("callNext", actor).add("window", windowId).text();
        }
    }

    /** {@link org.openhall.api.queue.HallQueue#recall} (R11, R14). */
    record Recall(Actor actor, String windowId) implements Command {
        public Recall {
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public String fingerprint() {
            return Fingerprint.of("recall", actor).add("window", windowId).text();
        }
    }

    /** {@link org.openhall.api.queue.HallQueue#start}: the called citizen arrived. */
    record Start(Actor actor, String windowId) implements Command {
        public Start {
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public String fingerprint() {
            return Fingerprint.of("start", actor).add("window", windowId).text();
        }
    }

    /** {@link org.openhall.api.queue.HallQueue#finish}: ends the transaction with an outcome (R8). */
    record Finish(Actor actor, String windowId, org.openhall.api.queue.Finish finish) implements Command {
        public Finish {
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public String fingerprint() {
            return Fingerprint.of("finish", actor).add("window", windowId).finish("finish", finish).text();
        }
    }

    /** {@link org.openhall.api.queue.HallQueue#transfer} (R9, R20). */
    record Transfer(Actor actor, String windowId, TransferTarget target) implements Command {
        public Transfer {
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public String fingerprint() {
            return Fingerprint.of("transfer", actor).add("window", windowId).target("target", target).text();
        }
    }

    /** {@link org.openhall.api.queue.HallQueue#markNoShow} (R11). */
    record MarkNoShow(Actor actor, String windowId) implements Command {
        public MarkNoShow {
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public String fingerprint() {
            return Fingerprint.of("markNoShow", actor).add("window", windowId).text();
        }
    }

    /** {@link org.openhall.api.queue.HallQueue#reactivate} (R11). */
    record Reactivate(Actor actor, String ticketNumber) implements Command {
        public Reactivate {
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public String fingerprint() {
            return Fingerprint.of("reactivate", actor).add("ticket", ticketNumber).text();
        }
    }

    /** {@link org.openhall.api.queue.HallQueue#pause} (R4). */
    record Pause(Actor actor, String windowId, PauseKind kind, String reason) implements Command {
        public Pause {
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public String fingerprint() {
            return Fingerprint.of("pause", actor).add("window", windowId).add("kind", kind).add("reason", reason)
                    .text();
        }
    }

    /** {@link org.openhall.api.queue.HallQueue#resume} (R4). */
    record Resume(Actor actor, String windowId) implements Command {
        public Resume {
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public String fingerprint() {
            return Fingerprint.of("resume", actor).add("window", windowId).text();
        }
    }

    /**
     * {@link org.openhall.api.queue.HallQueue#openWindow}: staff sign in with their own credential
     * (R17, R12). The credential is checked by {@link HallState#decide} and never leaves this
     * record: it is not in the fingerprint, not in {@link #toString()} and not in any event.
     */
    record OpenWindow(Actor actor, String windowId, String staffId, String credential) implements Command {
        public OpenWindow {
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public String fingerprint() {
            return Fingerprint.of("openWindow", actor).add("window", windowId).add("staff", staffId).text();
        }

        @Override
        public String toString() {
            return "OpenWindow[actor=" + actor + ", windowId=" + windowId + ", staffId=" + staffId
                    + ", credential=***]";
        }
    }

    /** {@link org.openhall.api.queue.HallQueue#closeWindow}. */
    record CloseWindow(Actor actor, String windowId) implements Command {
        public CloseWindow {
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public String fingerprint() {
            return Fingerprint.of("closeWindow", actor).add("window", windowId).text();
        }
    }

    /** {@link org.openhall.api.queue.HallQueue#recordManualCase} (补录, R5, R18). */
    record RecordManualCase(Actor actor, ManualCase manualCase) implements Command {
        public RecordManualCase {
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public String windowId() {
            return manualCase == null ? null : manualCase.windowId();
        }

        @Override
        public String fingerprint() {
            Fingerprint f = Fingerprint.of("recordManualCase", actor);
            if (manualCase == null) {
                return f.add("case", null).text();
            }
            ManualCase m = manualCase;
            return f.add("category", m.categoryId()).add("serviceItem", m.serviceItemId()).add("window", m.windowId())
                    .add("staff", m.staffId()).add("arrivedAt", m.arrivedAt()).add("startedAt", m.startedAt())
                    .add("finishedAt", m.finishedAt()).finish("finish", m.finish()).text();
        }
    }

    /**
     * The day rollover (R13): numbering restarts, unfinished tickets of the old day are closed and
     * the old day's statistics are frozen. Issued by the engine (actor {@code SYSTEM:rollover}).
     */
    record StartDay(Actor actor, LocalDate day) implements Command {
        public StartDay {
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public String fingerprint() {
            return Fingerprint.of("startDay", actor).add("day", day).text();
        }
    }

    /** {@link org.openhall.api.queue.HallQueue#evaluate} (R7). */
    record Evaluate(Actor actor, String windowId, int level) implements Command {
        public Evaluate {
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public String fingerprint() {
            return Fingerprint.of("evaluate", actor).add("window", windowId).add("level", level).text();
        }
    }

    /** {@link org.openhall.api.queue.HallQueue#raiseAlert}. */
    record RaiseAlert(Actor actor, Alert alert) implements Command {
        public RaiseAlert {
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public String fingerprint() {
            Fingerprint f = Fingerprint.of("raiseAlert", actor);
            if (alert == null) {
                return f.add("alert", null).text();
            }
            return f.add("id", alert.id()).add("kind", alert.kind()).add("category", alert.categoryId())
                    .add("window", alert.windowId()).add("text", alert.text()).text();
        }
    }

    /** {@link org.openhall.api.queue.HallQueue#clearAlert}. */
    record ClearAlert(Actor actor, String alertId) implements Command {
        public ClearAlert {
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public String fingerprint() {
            return Fingerprint.of("clearAlert", actor).add("id", alertId).text();
        }
    }

    /** {@link org.openhall.api.queue.HallQueue#assignCategories} (R2). */
    record AssignCategories(Actor actor, String windowId, List<String> categoryIds) implements Command {
        public AssignCategories {
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public String fingerprint() {
            return Fingerprint.of("assignCategories", actor).add("window", windowId)
                    .add("categories", categoryIds == null ? null : String.join(",", categoryIds)).text();
        }
    }

    /** {@link org.openhall.api.queue.HallQueue#putPolicyState}. */
    record PutPolicyState(Actor actor, String policyId, String key, String value) implements Command {
        public PutPolicyState {
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public String fingerprint() {
            return Fingerprint.of("putPolicyState", actor).add("policy", policyId).add("key", key)
                    .add("value", value).text();
        }
    }

    /** The hall's phase changes (R3, R13); issued by the engine (actor {@code SYSTEM:phase}). */
    record SetPhase(Actor actor, HallPhase phase) implements Command {
        public SetPhase {
            Objects.requireNonNull(actor, "actor");
        }

        @Override
        public String fingerprint() {
            return Fingerprint.of("setPhase", actor).add("phase", phase).text();
        }
    }
}
