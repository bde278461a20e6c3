package org.openhall.policy.appointment.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import org.openhall.api.policy.IssueRequest;
import org.openhall.api.policy.IssueVerdict;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.PriorityClass;

/**
 * R10: a checked-in appointment is an APPOINTMENT ticket (called before walk-ins) from
 * {@code early} before its slot's start to {@code lateGrace} after its slot's end; later it is an
 * ordinary ticket; earlier it is an ordinary ticket or refused (come back later). Plain Java with
 * the time passed in.
 *
 * <p>The core has already chosen APPOINTMENT or NORMAL with its fixed 15 minutes of early
 * tolerance and no grace; this rule replaces that choice with its own window. Only check-ins, and
 * only a request that is APPOINTMENT or NORMAL (a class another gate chose is left alone).
 */
final class AppointmentRule {

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    private final Duration early;
    private final Duration lateGrace;
    private final boolean refuseEarly;

    AppointmentRule(Duration early, Duration lateGrace, boolean refuseEarly) {
        this.early = early;
        this.lateGrace = lateGrace;
        this.refuseEarly = refuseEarly;
    }

    IssueVerdict check(IssueRequest r, Instant now, ZoneId zone) {
        if (!r.isCheckIn() || r.slotStart() == null || r.slotEnd() == null
                || r.priority() != PriorityClass.APPOINTMENT && r.priority() != PriorityClass.NORMAL) {
            return IssueVerdict.allow();
        }
        Instant from = r.slotStart().minus(early);
        Instant until = r.slotEnd().plus(lateGrace);
        String slot = "slot " + local(r.slotStart(), zone) + "-" + local(r.slotEnd(), zone);
        PriorityClass wanted;
        String why;
        if (now.isBefore(from)) {
            if (refuseEarly) {
                return IssueVerdict.refuse(ErrorCode.REFUSED_BY_POLICY, "appointment " + r.appointmentCode()
                        + " is early: check-in opens at " + local(from, zone) + " (" + slot + ", R10)");
            }
            wanted = PriorityClass.NORMAL;
            why = "appointment " + r.appointmentCode() + " checked in before " + local(from, zone) + " (" + slot
                    + "): an ordinary ticket (R10)";
        } else if (now.isAfter(until)) {
            wanted = PriorityClass.NORMAL;
            why = "appointment " + r.appointmentCode() + " checked in after " + local(until, zone) + " (" + slot
                    + "): late, an ordinary ticket (R10)";
        } else {
            wanted = PriorityClass.APPOINTMENT;
            why = "appointment " + r.appointmentCode() + " within its " + slot + ": called before walk-ins (R10)";
        }
        return wanted == r.priority() ? IssueVerdict.allow() : IssueVerdict.allowAs(wanted, why);
    }

    private static String local(Instant at, ZoneId zone) {
        return HH_MM.format(at.atZone(zone).toLocalTime());
    }
}
