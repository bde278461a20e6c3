package org.openhall.queue.core.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.openhall.api.config.Credentials;
import org.openhall.api.policy.CallingPolicy;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.Appointment;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.ManualCase;
import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.QueueError;
import org.openhall.api.queue.TicketView;
import org.openhall.api.queue.TransferTarget;
import org.openhall.api.queue.WindowView;

/**
 * Test fixture: a small hall and a driver that decides, checks and applies commands with an
 * explicit clock, keeping every applied event.
 *
 * <p>The hall: categories A (items A01 10 min with checklist, A02 5 min without), B (item B01
 * 15 min), C (no items); windows 1 [A], 2 [A, B], 3 [B], 4 [C], 5 [A, B, C] (standby); staff
 * 1001…1005 with PIN "pin-<id>". Time zone UTC, open around the clock, day 2026-03-02 (a Monday).
 */
final class TestHall {

    static final LocalDate DAY = LocalDate.of(2026, 3, 2);
    static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    static final Actor KIOSK = Actor.device("kiosk-1");
    static final Actor SYSTEM = Actor.system("rollover");

    /**
     * Hashing at 120k iterations for every sign-in would make the tests slow: the fixture's hashes
     * use few iterations (verify honours the count stored in the hash).
     */
    private static final Map<String, String> HASHES = Map.of(
            "1001", Credentials.hash("pin-1001", 10), "1002", Credentials.hash("pin-1002", 10),
            "1003", Credentials.hash("pin-1003", 10), "1004", Credentials.hash("pin-1004", 10),
            "1005", Credentials.hash("pin-1005", 10));

    final HallState state;
    Instant now = T0;
    CallingPolicy policy;
    /** When set, used instead of {@link #policy}: gates and phase too. */
    Policies policies;
    final List<DomainEvent> events = new ArrayList<>();
    String lastPolicyNote;

    TestHall() {
        this(config(QueueSettings.DEFAULTS));
    }

    TestHall(HallConfig config) {
        this.state = new HallState(config, DAY);
    }

    static HallConfig config(QueueSettings settings) {
        return config(settings, ZoneOffset.UTC, allDay());
    }

    static Map<DayOfWeek, List<OpeningHours>> allDay() {
        Map<DayOfWeek, List<OpeningHours>> hours = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            hours.put(d, List.of(new OpeningHours(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT)));
        }
        return hours;
    }

    static HallConfig config(QueueSettings settings, ZoneId zone, Map<DayOfWeek, List<OpeningHours>> hours) {
        List<CategoryConfig> categories = List.of(
                new CategoryConfig("A", "社保业务", List.of(
                        new ServiceItemConfig("A01", "参保登记", Duration.ofMinutes(10), List.of("身份证", "申请表", "照片")),
                        new ServiceItemConfig("A02", "缴费", Duration.ofMinutes(5), List.of()))),
                new CategoryConfig("B", "不动产", List.of(
                        new ServiceItemConfig("B01", "登记", Duration.ofMinutes(15), List.of("合同")))),
                new CategoryConfig("C", "综合", List.of()));
        List<WindowConfig> windows = List.of(
                new WindowConfig("1", "1号窗口", List.of("A"), false),
                new WindowConfig("2", "2号窗口", List.of("A", "B"), false),
                new WindowConfig("3", "3号窗口", List.of("B"), false),
                new WindowConfig("4", "4号窗口", List.of("C"), false),
                new WindowConfig("5", "5号窗口", List.of("A", "B", "C"), true));
        List<StaffConfig> staff = new ArrayList<>();
        for (String id : List.of("1001", "1002", "1003", "1004", "1005")) {
            staff.add(new StaffConfig(id, "员工" + id, HASHES.get(id)));
        }
        return new HallConfig("test-hall", "测试大厅", zone, hours, Set.of(), categories, windows, staff, settings);
    }

    static QueueSettings settings(int maxConsecutive, Duration maxNormalWait, Duration reactivation, int behind,
            int samples, Duration defaultHandling, int retention) {
        return new QueueSettings(maxConsecutive, maxNormalWait, reactivation, behind, samples, defaultHandling,
                retention);
    }

    // ---- driving ---------------------------------------------------------------------------------

    Decision decide(Command c) {
        return policies != null ? state.decide(c, now, policies) : state.decide(c, now, policy);
    }

    /** Decides and applies; fails the test when refused. */
    Object ok(Command c) {
        Decision d = decide(c);
        if (d instanceof Decision.Rejected r) {
            fail("refused " + c + ": " + r.error());
        }
        if (d instanceof Decision.Unchanged u) {
            return u.result().resolve(state);
        }
        Decision.Accepted a = (Decision.Accepted) d;
        lastPolicyNote = a.policyNote();
        state.applyAll(a.events());
        events.addAll(a.events());
        return a.result(state);
    }

    /** Decides, expects a refusal with this code, and checks nothing changed. */
    QueueError err(ErrorCode code, Command c) {
        byte[] before = StateCodec.encode(state);
        Decision d = decide(c);
        byte[] after = StateCodec.encode(state);
        assertArrayEquals(before, after, "decide changed the state");
        if (!(d instanceof Decision.Rejected r)) {
            fail("expected " + code + " for " + c + " but it was accepted: " + d);
            return null;
        }
        assertEquals(code, r.error().code(), () -> "for " + c + ": " + r.error().message());
        return r.error();
    }

    void advance(Duration d) {
        now = now.plus(d);
    }

    void advanceSeconds(long s) {
        advance(Duration.ofSeconds(s));
    }

    String json() {
        return new String(StateCodec.encode(state), StandardCharsets.UTF_8);
    }

    // ---- shortcuts -------------------------------------------------------------------------------

    IssuedTicket issue(String category) {
        return issue(category, PriorityClass.NORMAL);
    }

    IssuedTicket issue(String category, PriorityClass priority) {
        return (IssuedTicket) ok(new Command.IssueTicket(KIOSK, category, priority, null));
    }

    IssuedTicket issueItem(String category, String item) {
        return (IssuedTicket) ok(new Command.IssueTicket(KIOSK, category, PriorityClass.NORMAL, item));
    }

    IssuedTicket checkIn(String code, String category, Instant slotStart, Instant slotEnd) {
        return (IssuedTicket) ok(new Command.CheckIn(KIOSK, new Appointment(code, category, slotStart, slotEnd)));
    }

    static String staffOf(String windowId) {
        return "100" + windowId;
    }

    static Actor staffActor(String windowId) {
        return Actor.staff(staffOf(windowId));
    }

    WindowView open(String windowId) {
        String staff = staffOf(windowId);
        return (WindowView) ok(new Command.OpenWindow(Actor.staff(staff), windowId, staff, "pin-" + staff));
    }

    TicketView call(String windowId) {
        return (TicketView) ok(new Command.CallNext(staffActor(windowId), windowId));
    }

    TicketView recall(String windowId) {
        return (TicketView) ok(new Command.Recall(staffActor(windowId), windowId));
    }

    TicketView start(String windowId) {
        return (TicketView) ok(new Command.Start(staffActor(windowId), windowId));
    }

    TicketView finish(String windowId, Finish f) {
        return (TicketView) ok(new Command.Finish(staffActor(windowId), windowId, f));
    }

    TicketView done(String windowId) {
        return finish(windowId, Finish.done());
    }

    TicketView transfer(String windowId, String category, String targetWindow) {
        return (TicketView) ok(new Command.Transfer(staffActor(windowId), windowId,
                new TransferTarget(category, targetWindow)));
    }

    TicketView noShow(String windowId) {
        return (TicketView) ok(new Command.MarkNoShow(staffActor(windowId), windowId));
    }

    TicketView reactivate(String number) {
        return (TicketView) ok(new Command.Reactivate(KIOSK, number));
    }

    WindowView pause(String windowId, PauseKind kind, String reason) {
        return (WindowView) ok(new Command.Pause(staffActor(windowId), windowId, kind, reason));
    }

    WindowView resume(String windowId) {
        return (WindowView) ok(new Command.Resume(staffActor(windowId), windowId));
    }

    WindowView close(String windowId) {
        return (WindowView) ok(new Command.CloseWindow(staffActor(windowId), windowId));
    }

    TicketView manual(ManualCase m) {
        return (TicketView) ok(new Command.RecordManualCase(staffActor(m.windowId()), m));
    }

    void startDay(LocalDate day) {
        ok(new Command.StartDay(SYSTEM, day));
    }

    TicketView ticket(String number) {
        return state.ticket(number).orElseThrow(() -> new AssertionError("no ticket " + number));
    }

    WindowView window(String id) {
        return state.window(id).orElseThrow();
    }

    /** Calls, starts and finishes (DONE) the next ticket at a window after {@code serviceSeconds}. */
    TicketView serve(String windowId, long serviceSeconds) {
        TicketView t = call(windowId);
        start(windowId);
        advanceSeconds(serviceSeconds);
        done(windowId);
        return t;
    }
}
