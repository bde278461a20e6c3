package org.openhall.shell.internal;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

import org.openhall.api.device.Kiosk;
import org.openhall.api.device.KioskIssue;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.Alert;
import org.openhall.api.queue.CategoryView;
import org.openhall.api.queue.DayStatistics;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.Figures;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.HallSnapshot;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.openhall.api.queue.TicketView;
import org.openhall.api.queue.TransferTarget;
import org.openhall.api.queue.WindowView;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Console commands for integrators: {@code hall:issue A}, {@code hall:call 3}, {@code hall:status} …
 * Every command acts as the system actor {@code SYSTEM:console} and returns one line of text
 * (or a table). Refusals print the error code and message; nothing throws at the console.
 */
@Component(service = HallCommands.class, property = {
        "osgi.command.scope=hall",
        "osgi.command.function=issue", "osgi.command.function=checkin",
        "osgi.command.function=call", "osgi.command.function=recall", "osgi.command.function=start",
        "osgi.command.function=finish", "osgi.command.function=incomplete", "osgi.command.function=refuse",
        "osgi.command.function=transfer", "osgi.command.function=noshow", "osgi.command.function=reactivate",
        "osgi.command.function=pause", "osgi.command.function=resume",
        "osgi.command.function=open", "osgi.command.function=close",
        "osgi.command.function=ticket", "osgi.command.function=status", "osgi.command.function=stats" })
public final class HallCommands {

    static final Actor CONSOLE = Actor.system("console");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    // Optional and dynamic: the commands stay registered while the queue core is updated.
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile HallQueue queue;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile java.util.List<Kiosk> kiosks = java.util.List.of();

    private static Request request() {
        return Request.by(CONSOLE);
    }

    private Optional<HallQueue> queue() {
        return Optional.ofNullable(queue);
    }

    static final String UNAVAILABLE = "ERROR " + ErrorCode.UNAVAILABLE + ": the queue core is not running";

    /** hall:issue CATEGORY [normal|green|appointment] — issues a ticket. */
    public String issue(String category) {
        return issue(category, "normal");
    }

    /** hall:issue CATEGORY --kiosk KIOSK — the kiosk issues it and prints it on its printer (R5). */
    public String issue(String category, String option, String kioskId) {
        return issue(category, "normal", option, kioskId);
    }

    /** hall:issue CATEGORY normal|green --kiosk KIOSK */
    public String issue(String category, String priority, String option, String kioskId) {
        if (!"--kiosk".equals(option)) {
            return "ERROR " + ErrorCode.INVALID_ARGUMENT + ": usage: hall:issue CATEGORY [normal|green] --kiosk KIOSK";
        }
        Kiosk kiosk = kiosks.stream().filter(k -> kioskId.equals(k.id())).findFirst().orElse(null);
        if (kiosk == null) {
            return "ERROR " + ErrorCode.UNAVAILABLE + ": no kiosk " + kioskId;
        }
        KioskIssue i = kiosk.issue(request(), category, priority(priority));
        return show(i.ticket()) + (i.ticket().isOk()
                ? i.printed() ? " (printed on " + i.printerId() + ")" : " (NOT printed: " + i.notice() + ")"
                : "");
    }

    public String issue(String category, String priority) {
        return queue().map(q -> show(q.issueTicket(request(), category, priority(priority), null)))
                .orElse(UNAVAILABLE);
    }

    /** hall:checkin CODE CATEGORY MINUTES — checks in an appointment whose slot runs from now for MINUTES. */
    public String checkin(String code, String category, int minutes) {
        java.time.Instant now = java.time.Instant.now();
        return queue().map(q -> show(q.checkIn(request(),
                new org.openhall.api.queue.Appointment(code, category, now, now.plusSeconds(60L * minutes)))))
                .orElse(UNAVAILABLE);
    }

    /** hall:call WINDOW — the window calls its next ticket. */
    public String call(String window) {
        return queue().map(q -> show(q.callNext(request(), window))).orElse(UNAVAILABLE);
    }

    public String recall(String window) {
        return queue().map(q -> show(q.recall(request(), window))).orElse(UNAVAILABLE);
    }

    public String start(String window) {
        return queue().map(q -> show(q.start(request(), window))).orElse(UNAVAILABLE);
    }

    /** hall:finish WINDOW — ends the transaction as done (办结). */
    public String finish(String window) {
        return queue().map(q -> show(q.finish(request(), window, Finish.done()))).orElse(UNAVAILABLE);
    }

    /** hall:incomplete WINDOW ITEM… — ends it as materials incomplete (一次性告知), listing every missing item. */
    public String incomplete(String window, String... missing) {
        return queue().map(q -> show(q.finish(request(), window, Finish.materialsIncomplete(java.util.List.of(missing)))))
                .orElse(UNAVAILABLE);
    }

    /** hall:refuse WINDOW REASON LEGAL_BASIS — ends it as refused (不予办理). */
    public String refuse(String window, String reason, String legalBasis) {
        return queue().map(q -> show(q.finish(request(), window, Finish.refused(reason, legalBasis))))
                .orElse(UNAVAILABLE);
    }

    /** hall:transfer WINDOW CATEGORY [TARGET_WINDOW] — transfers the window's ticket (转办). */
    public String transfer(String window, String category) {
        return transfer(window, category, null);
    }

    public String transfer(String window, String category, String targetWindow) {
        return queue().map(q -> show(q.transfer(request(), window, new TransferTarget(category, targetWindow))))
                .orElse(UNAVAILABLE);
    }

    public String noshow(String window) {
        return queue().map(q -> show(q.markNoShow(request(), window))).orElse(UNAVAILABLE);
    }

    public String reactivate(String ticket) {
        return queue().map(q -> show(q.reactivate(request(), ticket))).orElse(UNAVAILABLE);
    }

    /** hall:pause WINDOW brief|suspended REASON */
    public String pause(String window, String kind, String reason) {
        PauseKind pauseKind = "brief".equalsIgnoreCase(kind) ? PauseKind.BRIEF : PauseKind.SUSPENDED;
        return queue().map(q -> show(q.pause(request(), window, pauseKind, reason))).orElse(UNAVAILABLE);
    }

    public String resume(String window) {
        return queue().map(q -> show(q.resume(request(), window))).orElse(UNAVAILABLE);
    }

    /** hall:open WINDOW STAFF_ID PIN — staff sign in at the window (R17). */
    public String open(String window, String staff, String pin) {
        return queue().map(q -> show(q.openWindow(Request.by(Actor.staff(staff)), window, staff, pin)))
                .orElse(UNAVAILABLE);
    }

    public String close(String window) {
        return queue().map(q -> show(q.closeWindow(request(), window))).orElse(UNAVAILABLE);
    }

    public String ticket(String number) {
        return queue().map(q -> q.ticket(number).map(HallCommands::line).orElse("no ticket " + number + " today"))
                .orElse(UNAVAILABLE);
    }

    /** hall:status — every category and window. */
    public String status() {
        return queue().map(q -> table(q.snapshot())).orElse(UNAVAILABLE);
    }

    /** hall:stats [yyyy-mm-dd] — statistics of today or of a past day. */
    public String stats() {
        return queue().map(q -> q.snapshot().day().toString()).map(this::stats).orElse(UNAVAILABLE);
    }

    public String stats(String day) {
        return queue().map(q -> q.statistics(LocalDate.parse(day)).map(HallCommands::stats).orElse("no statistics for " + day))
                .orElse(UNAVAILABLE);
    }

    static PriorityClass priority(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
        case "green":
        case "green_channel":
            return PriorityClass.GREEN_CHANNEL;
        case "appointment":
            return PriorityClass.APPOINTMENT;
        default:
            return PriorityClass.NORMAL;
        }
    }

    static String show(Result<?> result) {
        if (!result.isOk()) {
            return "ERROR " + result.error().code() + ": " + result.error().message();
        }
        Object value = result.value();
        if (value instanceof IssuedTicket issued) {
            return line(issued.ticket()) + "  ahead=" + issued.peopleAhead() + " wait≈"
                    + (issued.estimatedWaitSeconds() < 0 ? "?" : issued.estimatedWaitSeconds() / 60 + "min");
        }
        if (value instanceof TicketView t) {
            return line(t);
        }
        if (value instanceof WindowView w) {
            return line(w);
        }
        return String.valueOf(value);
    }

    static String line(TicketView t) {
        return String.format("%s %s cat=%s prio=%s window=%s calls=%d issued=%s%s", t.number(), t.state(),
                t.categoryId(), t.priority(), t.windowId() == null ? "-" : t.windowId(), t.calls(),
                TIME.format(t.issuedAt()), t.outcome() == null ? "" : " outcome=" + t.outcome());
    }

    static String line(WindowView w) {
        return String.format("window %s %s ticket=%s staff=%s%s%s", w.id(), w.state(),
                w.ticketNumber() == null ? "-" : w.ticketNumber(), w.staffId() == null ? "-" : w.staffId(),
                w.pauseKind() == null ? "" : " pause=" + w.pauseKind() + " (" + w.pauseReason() + ")",
                w.assigned().isEmpty() ? "" : " assigned=" + String.join(",", w.assigned()));
    }

    static String table(HallSnapshot s) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s (%s)  day %s  %s  seq %d%n", s.hallName(), s.hallId(), s.day(), s.phase(), s.seq()));
        sb.append(String.format("%-4s %-20s %7s %8s %6s %9s %5s%n", "cat", "name", "waiting", "priority", "last",
                "wait(min)", "open"));
        for (CategoryView c : s.categories()) {
            sb.append(String.format("%-4s %-20s %7d %8d %6s %9s %5d%n", c.id(), c.name(), c.waiting(),
                    c.priorityWaiting(), c.lastCalled() == null ? "-" : c.lastCalled(),
                    c.estimatedWaitSeconds() < 0 ? "-" : String.valueOf(c.estimatedWaitSeconds() / 60), c.openWindows()));
        }
        for (WindowView w : s.windows()) {
            sb.append(line(w)).append(System.lineSeparator());
        }
        for (Alert a : s.alerts()) {
            sb.append(String.format("alert %s %s%s%s since %s: %s%n", a.id(), a.kind(),
                    a.categoryId() == null ? "" : " cat=" + a.categoryId(), a.windowId() == null ? "" : " window=" + a.windowId(),
                    TIME.format(a.raisedAt()), a.text() == null ? "" : a.text()));
        }
        return sb.toString();
    }

    static String stats(DayStatistics d) {
        Figures h = d.hall();
        return String.format(
                "%s issued=%d served=%d noShows=%d transfers=%d wait avg/p90=%.0f/%.0fs handling avg/p90=%.0f/%.0fs overruns=%d rated=%d satisfaction=%.0f%% estimate MAE=%.0fs (n=%d)",
                d.day(), h.issued(), h.served(), h.noShows(), h.transfers(), h.averageWaitSeconds(),
                h.p90WaitSeconds(), h.averageHandlingSeconds(), h.p90HandlingSeconds(), h.overruns(), h.rated(),
                h.satisfactionRate() * 100,
                d.estimate().meanAbsoluteErrorSeconds(), d.estimate().samples());
    }
}
