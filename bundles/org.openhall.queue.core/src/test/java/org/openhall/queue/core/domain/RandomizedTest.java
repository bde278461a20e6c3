package org.openhall.queue.core.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.openhall.api.policy.CallingPolicy;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.Appointment;
import org.openhall.api.queue.CategoryView;
import org.openhall.api.queue.DayStatistics;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.Figures;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.ManualCase;
import org.openhall.api.queue.Outcome;
import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.TicketState;
import org.openhall.api.queue.TicketView;
import org.openhall.api.queue.TransferTarget;
import org.openhall.api.queue.WindowState;
import org.openhall.api.queue.WindowView;

/**
 * Long random sequences of valid and invalid commands with a moving clock, checked after every
 * command against a deliberately simple reference model (lists of tickets and windows with their
 * states, and plain counters), plus invariants, and at the end a full replay of the journal (through
 * the event codec) and a snapshot-then-tail replay, which must give the same state JSON.
 */
class RandomizedTest {

    private static final int SEEDS = 20;
    private static final int COMMANDS = 2000;

    private static final List<String> WINDOWS = List.of("1", "2", "3", "4", "5");
    private static final Map<String, List<String>> SERVES = Map.of("1", List.of("A"), "2", List.of("A", "B"), "3",
            List.of("B"), "4", List.of("C"), "5", List.of("A", "B", "C"));
    private static final List<String> CATEGORIES = List.of("A", "B", "C");
    private static final List<String> STAFF = List.of("1001", "1002", "1003", "1004", "1005");
    private static final Map<String, List<String>> ITEMS = Map.of("A01", List.of("身份证", "申请表", "照片"), "A02",
            List.of(), "B01", List.of("合同"));
    private static final Map<String, String> ITEM_CATEGORY = Map.of("A01", "A", "A02", "A", "B01", "B");
    private static final QueueSettings SETTINGS = QueueSettings.DEFAULTS;
    private static final Pattern NUMBER = Pattern.compile("[A-C][0-9]{3}");

    @Test
    void randomSequencesAgreeWithTheReferenceModelAndReplay() {
        for (int i = 0; i < SEEDS; i++) {
            long seed = 20260302L * 31 + i;
            try {
                new Run(seed).run();
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    // ---- the reference model -----------------------------------------------------------------

    static final class RefTicket {
        String number;
        String category;
        PriorityClass priority;
        TicketState state = TicketState.WAITING;
        String window;
        String target;
        String item;
        String responsible;
        int calls;
        Instant waitingSince;
        Instant noShowAt;
    }

    static final class RefWindow {
        WindowState state = WindowState.CLOSED;
        String staff;
        String ticket;
        WindowState resume;
    }

    static final class Counts {
        long issued;
        long served;
        long noShows;
        long transfers;
    }

    private static final class Run {
        final long seed;
        final Random rnd;
        final TestHall h = new TestHall(TestHall.config(SETTINGS, ZoneOffset.UTC, TestHall.allDay()));
        final Map<String, RefTicket> tickets = new LinkedHashMap<>();
        final Map<String, RefWindow> windows = new HashMap<>();
        final Map<String, Integer> lastNumber = new HashMap<>();
        final Set<String> codes = new HashSet<>();
        final Map<String, Counts> counts = new HashMap<>(); // "hall" and category ids
        final Map<LocalDate, Map<String, Counts>> frozen = new HashMap<>();
        LocalDate day = TestHall.DAY;
        int consecutivePriority;
        String policyMode;
        int step;
        byte[] snapshot;
        int snapshotEvents;
        int accepted;
        int refused;
        boolean rollover;

        Run(long seed) {
            this.seed = seed;
            this.rnd = new Random(seed);
            for (String w : WINDOWS) {
                windows.put(w, new RefWindow());
            }
        }

        Counts count(String key) {
            return counts.computeIfAbsent(key, k -> new Counts());
        }

        void run() {
            int snapshotAt = COMMANDS / 3 + rnd.nextInt(COMMANDS / 3);
            for (step = 0; step < COMMANDS; step++) {
                advanceClock();
                Command c = randomCommand();
                rollover = c instanceof Command.StartDay;
                if (rollover) {
                    check(); // the old day's figures just before it is frozen
                }
                ErrorCode expected = expect(c);
                Decision d = h.decide(c);
                if (expected == null) {
                    if (d instanceof Decision.Rejected r) {
                        fail("step " + step + ": " + c + " expected accepted, refused " + r.error());
                    }
                    Decision.Accepted a = (Decision.Accepted) d;
                    h.state.applyAll(a.events());
                    h.events.addAll(a.events());
                    Object result = a.result(h.state);
                    assertNotNull(result);
                    update(c, result);
                    accepted++;
                } else {
                    if (d instanceof Decision.Accepted a) {
                        fail("step " + step + ": " + c + " expected " + expected + ", accepted " + a.events());
                    }
                    assertEquals(expected, ((Decision.Rejected) d).error().code(),
                            "step " + step + ": " + c + ": " + ((Decision.Rejected) d).error().message());
                    refused++;
                }
                check();
                if (step == snapshotAt) {
                    snapshot = StateCodec.encode(h.state);
                    snapshotEvents = h.events.size();
                }
            }
            assertTrue(accepted > COMMANDS / 3, "too few accepted commands: " + accepted);
            assertTrue(refused > COMMANDS / 20, "too few refused commands: " + refused);
            replay();
        }

        void advanceClock() {
            int r = rnd.nextInt(100);
            if (r < 10) {
                return; // the same instant: ties in time
            }
            h.advanceSeconds(1 + rnd.nextInt(r < 95 ? 40 : 900));
        }

        // ---- command generation ----------------------------------------------------------

        String anyWindow() {
            int r = rnd.nextInt(100);
            return r < 2 ? "9" : r < 3 ? null : WINDOWS.get(rnd.nextInt(WINDOWS.size()));
        }

        String anyCategory() {
            return rnd.nextInt(100) < 3 ? "Q" : CATEGORIES.get(rnd.nextInt(CATEGORIES.size()));
        }

        /** Mostly a window in one of these states (so that commands often apply), else any. */
        String windowIn(WindowState... states) {
            if (rnd.nextInt(100) < 70) {
                List<String> fit = new ArrayList<>();
                for (String id : WINDOWS) {
                    for (WindowState st : states) {
                        if (windows.get(id).state == st) {
                            fit.add(id);
                        }
                    }
                }
                if (!fit.isEmpty()) {
                    return fit.get(rnd.nextInt(fit.size()));
                }
            }
            return anyWindow();
        }

        Actor staffAt(String window) {
            RefWindow w = window == null ? null : windows.get(window);
            if (w != null && w.staff != null) {
                return Actor.staff(w.staff);
            }
            return Actor.device("caller-" + window);
        }

        String someTicketNumber() {
            if (tickets.isEmpty() || rnd.nextInt(10) == 0) {
                return "A" + (100 + rnd.nextInt(900));
            }
            List<String> all = new ArrayList<>(tickets.keySet());
            return all.get(rnd.nextInt(all.size()));
        }

        TransferTarget anyTarget() {
            int r = rnd.nextInt(100);
            if (r < 3) {
                return null;
            }
            String cat = anyCategory();
            String window = null;
            if (r < 40) {
                window = rnd.nextInt(10) == 0 ? "9" : WINDOWS.get(rnd.nextInt(WINDOWS.size()));
            }
            return new TransferTarget(cat, window);
        }

        Finish anyFinish() {
            int r = rnd.nextInt(100);
            String item = rnd.nextInt(10) == 0 ? List.of("A01", "A02", "B01", "ZZ").get(rnd.nextInt(4)) : null;
            Finish f;
            if (r < 50) {
                f = Finish.done();
            } else if (r < 65) {
                List<String> pool = List.of("身份证", "申请表", "照片", "合同", "其他", " ");
                List<String> missing = new ArrayList<>();
                int n = rnd.nextInt(3);
                for (int i = 0; i < n; i++) {
                    missing.add(pool.get(rnd.nextInt(pool.size())));
                }
                f = Finish.materialsIncomplete(missing);
            } else if (r < 80) {
                f = Finish.refused(rnd.nextInt(8) == 0 ? null : "不符合条件", rnd.nextInt(8) == 0 ? " " : "条例第5条");
            } else {
                f = Finish.transferred(anyTarget());
            }
            return item == null ? f : f.withServiceItem(item);
        }

        Command randomCommand() {
            if (h.now.isAfter(day.atTime(22, 0).toInstant(ZoneOffset.UTC))) {
                // the engine starts the next day before the clock passes midnight
                LocalDate next = day.plusDays(1);
                h.now = next.atTime(8, 0).toInstant(ZoneOffset.UTC);
                return new Command.StartDay(TestHall.SYSTEM, next);
            }
            int r = rnd.nextInt(1000);
            if (r < 220) {
                String cat = anyCategory();
                PriorityClass p = rnd.nextInt(100) < 80 ? PriorityClass.NORMAL
                        : rnd.nextBoolean() ? PriorityClass.GREEN_CHANNEL : PriorityClass.APPOINTMENT;
                if (rnd.nextInt(100) == 0) {
                    p = null;
                }
                String item = null;
                if (rnd.nextInt(4) == 0) {
                    item = List.of("A01", "A02", "B01", "ZZ").get(rnd.nextInt(4));
                }
                return new Command.IssueTicket(TestHall.KIOSK, cat, p, item);
            } else if (r < 260) {
                String code = "BK" + rnd.nextInt(60);
                Instant start = h.now.plusSeconds(rnd.nextInt(3600) - 2400);
                Instant end = start.plusSeconds(rnd.nextInt(20) == 0 ? -60 : 1800);
                return new Command.CheckIn(TestHall.KIOSK, new Appointment(code, anyCategory(), start, end));
            } else if (r < 440) {
                String w = windowIn(WindowState.IDLE);
                int p = rnd.nextInt(100);
                policyMode = p < 70 ? null : p < 80 ? "random" : p < 87 ? "throw" : p < 94 ? "bogus" : "nobody";
                h.policy = policy();
                return new Command.CallNext(staffAt(w), w);
            } else if (r < 480) {
                String w = windowIn(WindowState.CALLING);
                return new Command.Recall(staffAt(w), w);
            } else if (r < 580) {
                String w = windowIn(WindowState.CALLING);
                return new Command.Start(staffAt(w), w);
            } else if (r < 700) {
                String w = windowIn(WindowState.SERVING);
                return new Command.Finish(staffAt(w), w, rnd.nextInt(100) == 0 ? null : anyFinish());
            } else if (r < 740) {
                String w = windowIn(WindowState.CALLING, WindowState.SERVING);
                return new Command.Transfer(staffAt(w), w, anyTarget());
            } else if (r < 790) {
                String w = windowIn(WindowState.CALLING);
                return new Command.MarkNoShow(staffAt(w), w);
            } else if (r < 830) {
                return new Command.Reactivate(TestHall.KIOSK, someTicketNumber());
            } else if (r < 870) {
                String w = anyWindow();
                PauseKind k = rnd.nextInt(50) == 0 ? null : rnd.nextBoolean() ? PauseKind.BRIEF : PauseKind.SUSPENDED;
                String reason = rnd.nextInt(5) == 0 ? null : "原因";
                return new Command.Pause(staffAt(w), w, k, reason);
            } else if (r < 910) {
                String w = windowIn(WindowState.PAUSED);
                return new Command.Resume(staffAt(w), w);
            } else if (r < 960) {
                String w = windowIn(WindowState.CLOSED);
                String staff = rnd.nextInt(30) == 0 ? "9999" : STAFF.get(rnd.nextInt(STAFF.size()));
                String pin = rnd.nextInt(7) == 0 ? "wrong" : "pin-" + staff;
                int a = rnd.nextInt(10);
                Actor actor = a < 6 ? Actor.staff(staff) : a < 9 ? Actor.device("caller") : Actor.staff("1001");
                return new Command.OpenWindow(actor, w, staff, pin);
            } else if (r < 985) {
                String w = anyWindow();
                return new Command.CloseWindow(staffAt(w), w);
            } else if (r < 995) {
                String cat = anyCategory();
                String w = WINDOWS.get(rnd.nextInt(WINDOWS.size()));
                String staff = STAFF.get(rnd.nextInt(STAFF.size()));
                long back = rnd.nextInt(1200);
                Instant started = h.now.minusSeconds(back);
                Instant arrived = started.minusSeconds(rnd.nextInt(600));
                if (arrived.isBefore(dayStart())) {
                    arrived = dayStart();
                    started = arrived.isAfter(started) ? arrived : started;
                }
                Finish f = rnd.nextInt(10) == 0 ? Finish.transferred(new TransferTarget("B", null)) : Finish.done();
                return new Command.RecordManualCase(Actor.staff(staff),
                        new ManualCase(cat, null, w, staff, arrived, started, h.now, f));
            } else {
                if (rnd.nextInt(3) == 0) {
                    return new Command.StartDay(TestHall.SYSTEM, day); // refused: not after
                }
                LocalDate next = day.plusDays(1 + rnd.nextInt(2));
                // the engine starts the day when it comes: move the clock to that morning
                h.now = next.atTime(8, 0).toInstant(ZoneOffset.UTC);
                return new Command.StartDay(TestHall.SYSTEM, next);
            }
        }

        Instant dayStart() {
            return day.atStartOfDay().toInstant(ZoneOffset.UTC);
        }

        CallingPolicy policy() {
            if (policyMode == null) {
                return null;
            }
            return ctx -> switch (policyMode) {
                case "random" -> Optional.of(ctx.candidates().get(rnd.nextInt(ctx.candidates().size())).number());
                case "throw" -> throw new IllegalStateException("policy failure");
                case "bogus" -> Optional.of("Z999");
                default -> Optional.empty();
            };
        }

        // ---- the model's expectations ------------------------------------------------------

        static boolean blank(String s) {
            return s == null || s.isBlank();
        }

        /** The error code the reference model expects, or null when the command is valid. */
        ErrorCode expect(Command c) {
            if (c instanceof Command.IssueTicket x) {
                if (blank(x.categoryId()) || x.priority() == null) {
                    return ErrorCode.INVALID_ARGUMENT;
                }
                if (!CATEGORIES.contains(x.categoryId())) {
                    return ErrorCode.UNKNOWN_CATEGORY;
                }
                if (x.serviceItemId() != null && !x.categoryId().equals(ITEM_CATEGORY.get(x.serviceItemId()))) {
                    return ErrorCode.UNKNOWN_SERVICE_ITEM;
                }
                return lastNumber.getOrDefault(x.categoryId(), 0) >= 999 ? ErrorCode.HALL_CLOSED : null;
            }
            if (c instanceof Command.CheckIn x) {
                Appointment a = x.appointment();
                if (a.slotEnd().isBefore(a.slotStart())) {
                    return ErrorCode.INVALID_ARGUMENT;
                }
                if (!CATEGORIES.contains(a.categoryId())) {
                    return ErrorCode.UNKNOWN_CATEGORY;
                }
                return codes.contains(a.code()) ? ErrorCode.ILLEGAL_STATE : null;
            }
            if (c instanceof Command.Reactivate x) {
                RefTicket t = tickets.get(x.ticketNumber());
                if (t == null) {
                    return ErrorCode.UNKNOWN_TICKET;
                }
                if (t.state != TicketState.NO_SHOW) {
                    return ErrorCode.ILLEGAL_STATE;
                }
                return h.now.isAfter(t.noShowAt.plus(SETTINGS.reactivationWindow())) ? ErrorCode.EXPIRED : null;
            }
            if (c instanceof Command.RecordManualCase x) {
                ManualCase m = x.manualCase();
                if (m.finish().outcome() == Outcome.TRANSFERRED) {
                    return ErrorCode.INVALID_ARGUMENT;
                }
                if (!CATEGORIES.contains(m.categoryId())) {
                    return ErrorCode.UNKNOWN_CATEGORY;
                }
                return null;
            }
            if (c instanceof Command.StartDay x) {
                return x.day().isAfter(day) ? null : ErrorCode.ILLEGAL_STATE;
            }
            if (c instanceof Command.OpenWindow x) {
                if (blank(x.windowId())) {
                    return ErrorCode.INVALID_ARGUMENT;
                }
                if (!WINDOWS.contains(x.windowId())) {
                    return ErrorCode.UNKNOWN_WINDOW;
                }
                if (!STAFF.contains(x.staffId())) {
                    return ErrorCode.UNKNOWN_STAFF;
                }
                if (x.actor().kind() == Actor.Kind.STAFF && !x.actor().id().equals(x.staffId())) {
                    return ErrorCode.INVALID_ARGUMENT;
                }
                if (windows.get(x.windowId()).state != WindowState.CLOSED) {
                    return ErrorCode.ILLEGAL_STATE;
                }
                if (!x.credential().equals("pin-" + x.staffId())) {
                    return ErrorCode.BAD_CREDENTIALS;
                }
                for (RefWindow w : windows.values()) {
                    if (x.staffId().equals(w.staff)) {
                        return ErrorCode.ILLEGAL_STATE;
                    }
                }
                return null;
            }
            // window commands
            String id;
            if (c instanceof Command.Finish x) {
                if (x.finish() == null) {
                    return ErrorCode.INVALID_ARGUMENT;
                }
                id = x.windowId();
            } else if (c instanceof Command.Transfer x) {
                if (x.target() == null) {
                    return ErrorCode.INVALID_ARGUMENT;
                }
                id = x.windowId();
            } else if (c instanceof Command.Pause x) {
                if (x.kind() == null) {
                    return ErrorCode.INVALID_ARGUMENT;
                }
                id = x.windowId();
            } else if (c instanceof Command.CallNext x) {
                id = x.windowId();
            } else if (c instanceof Command.Recall x) {
                id = x.windowId();
            } else if (c instanceof Command.Start x) {
                id = x.windowId();
            } else if (c instanceof Command.MarkNoShow x) {
                id = x.windowId();
            } else if (c instanceof Command.Resume x) {
                id = x.windowId();
            } else if (c instanceof Command.CloseWindow x) {
                id = x.windowId();
            } else {
                throw new AssertionError("unexpected " + c);
            }
            if (blank(id)) {
                return ErrorCode.INVALID_ARGUMENT;
            }
            if (!WINDOWS.contains(id)) {
                return ErrorCode.UNKNOWN_WINDOW;
            }
            RefWindow w = windows.get(id);
            if (c instanceof Command.Pause x) {
                if (w.state == WindowState.CLOSED) {
                    return ErrorCode.WINDOW_NOT_OPEN;
                }
                if (w.state == WindowState.PAUSED) {
                    return ErrorCode.ILLEGAL_STATE;
                }
                if (x.kind() == PauseKind.SUSPENDED) {
                    if (blank(x.reason())) {
                        return ErrorCode.INVALID_ARGUMENT;
                    }
                    if (w.state == WindowState.SERVING) {
                        return ErrorCode.ILLEGAL_STATE;
                    }
                }
                return null;
            }
            if (c instanceof Command.Resume) {
                return w.state == WindowState.CLOSED ? ErrorCode.WINDOW_NOT_OPEN
                        : w.state != WindowState.PAUSED ? ErrorCode.ILLEGAL_STATE : null;
            }
            if (c instanceof Command.CloseWindow) {
                return w.state == WindowState.CLOSED ? ErrorCode.WINDOW_NOT_OPEN
                        : w.ticket != null ? ErrorCode.ILLEGAL_STATE : null;
            }
            if (w.state == WindowState.CLOSED || w.state == WindowState.PAUSED) {
                return ErrorCode.WINDOW_NOT_OPEN;
            }
            if (c instanceof Command.CallNext) {
                if (w.state != WindowState.IDLE) {
                    return ErrorCode.ILLEGAL_STATE;
                }
                if (candidates(id).isEmpty()) {
                    return ErrorCode.NO_TICKET_WAITING;
                }
                return "nobody".equals(policyMode) ? ErrorCode.REFUSED_BY_POLICY : null;
            }
            if (c instanceof Command.Recall || c instanceof Command.Start || c instanceof Command.MarkNoShow) {
                return w.state == WindowState.CALLING ? null : ErrorCode.ILLEGAL_STATE;
            }
            if (c instanceof Command.Transfer x) {
                if (w.state != WindowState.CALLING && w.state != WindowState.SERVING) {
                    return ErrorCode.ILLEGAL_STATE;
                }
                return target(x.target(), tickets.get(w.ticket).category, id);
            }
            Command.Finish x = (Command.Finish) c;
            if (w.state != WindowState.SERVING) {
                return ErrorCode.ILLEGAL_STATE;
            }
            Finish f = x.finish();
            RefTicket t = tickets.get(w.ticket);
            if (f.serviceItemId() != null && !ITEMS.containsKey(f.serviceItemId())) {
                return ErrorCode.UNKNOWN_SERVICE_ITEM;
            }
            String item = f.serviceItemId() != null ? f.serviceItemId() : t.item;
            switch (f.outcome()) {
                case MATERIALS_INCOMPLETE -> {
                    if (f.missingMaterials().isEmpty()) {
                        return ErrorCode.INVALID_ARGUMENT;
                    }
                    Set<String> seen = new HashSet<>();
                    for (String m : f.missingMaterials()) {
                        if (blank(m) || !seen.add(m)) {
                            return ErrorCode.INVALID_ARGUMENT;
                        }
                        List<String> checklist = item == null ? List.of() : ITEMS.get(item);
                        if (!checklist.isEmpty() && !checklist.contains(m)) {
                            return ErrorCode.INVALID_ARGUMENT;
                        }
                    }
                    return null;
                }
                case REFUSED -> {
                    return blank(f.reason()) || blank(f.legalBasis()) ? ErrorCode.INVALID_ARGUMENT : null;
                }
                case TRANSFERRED -> {
                    return target(f.transferTo(), t.category, id);
                }
                default -> {
                    return null;
                }
            }
        }

        ErrorCode target(TransferTarget to, String fromCategory, String fromWindow) {
            if (to == null || blank(to.categoryId())) {
                return ErrorCode.INVALID_ARGUMENT;
            }
            if (!CATEGORIES.contains(to.categoryId())) {
                return ErrorCode.UNKNOWN_CATEGORY;
            }
            if (to.windowId() != null) {
                if (!WINDOWS.contains(to.windowId())) {
                    return ErrorCode.UNKNOWN_WINDOW;
                }
                if (!SERVES.get(to.windowId()).contains(to.categoryId())) {
                    return ErrorCode.CATEGORY_NOT_SERVED;
                }
                if (to.windowId().equals(fromWindow) && to.categoryId().equals(fromCategory)) {
                    return ErrorCode.INVALID_ARGUMENT;
                }
                return null;
            }
            return to.categoryId().equals(fromCategory) ? ErrorCode.INVALID_ARGUMENT : null;
        }

        List<RefTicket> candidates(String window) {
            List<RefTicket> out = new ArrayList<>();
            for (RefTicket t : tickets.values()) {
                if (t.state == TicketState.WAITING && SERVES.get(window).contains(t.category)
                        && (t.target == null || t.target.equals(window))) {
                    out.add(t);
                }
            }
            return out;
        }

        // ---- the model's transitions ---------------------------------------------------------

        String newNumber(String category) {
            int n = lastNumber.merge(category, 1, Integer::sum);
            return category + String.format("%03d", n);
        }

        RefTicket newTicket(String number, String category, PriorityClass p) {
            RefTicket t = new RefTicket();
            t.number = number;
            t.category = category;
            t.priority = p;
            t.waitingSince = h.now;
            tickets.put(number, t);
            count("hall").issued++;
            count(category).issued++;
            return t;
        }

        void update(Command c, Object result) {
            if (c instanceof Command.IssueTicket x) {
                IssuedTicket it = (IssuedTicket) result;
                assertEquals(newNumber(x.categoryId()), it.ticket().number(), "numbering");
                newTicket(it.ticket().number(), x.categoryId(), x.priority()).item = x.serviceItemId();
                assertEquals(x.priority(), it.ticket().priority());
            } else if (c instanceof Command.CheckIn x) {
                Appointment a = x.appointment();
                IssuedTicket it = (IssuedTicket) result;
                assertEquals(newNumber(a.categoryId()), it.ticket().number(), "numbering");
                boolean inSlot = !h.now.isBefore(a.slotStart().minus(Duration.ofMinutes(15)))
                        && !h.now.isAfter(a.slotEnd());
                PriorityClass p = inSlot ? PriorityClass.APPOINTMENT : PriorityClass.NORMAL;
                assertEquals(p, it.ticket().priority(), "late arrivals become ordinary tickets (R10)");
                newTicket(it.ticket().number(), a.categoryId(), p);
                codes.add(a.code());
            } else if (c instanceof Command.CallNext x) {
                TicketView tv = (TicketView) result;
                List<RefTicket> cands = candidates(x.windowId());
                RefTicket t = tickets.get(tv.number());
                assertTrue(cands.contains(t), "called a ticket that was not a candidate: " + tv.number());
                if (policyMode == null) {
                    checkFairness(cands, t);
                }
                t.state = TicketState.CALLED;
                t.window = x.windowId();
                t.calls = 1;
                RefWindow w = windows.get(x.windowId());
                w.state = WindowState.CALLING;
                w.ticket = t.number;
                consecutivePriority = t.priority == PriorityClass.NORMAL ? 0 : consecutivePriority + 1;
            } else if (c instanceof Command.Recall x) {
                tickets.get(windows.get(x.windowId()).ticket).calls++;
            } else if (c instanceof Command.Start x) {
                RefWindow w = windows.get(x.windowId());
                RefTicket t = tickets.get(w.ticket);
                t.state = TicketState.SERVING;
                if (t.responsible == null) {
                    t.responsible = x.windowId();
                }
                w.state = WindowState.SERVING;
            } else if (c instanceof Command.Finish x) {
                RefWindow w = windows.get(x.windowId());
                RefTicket t = tickets.get(w.ticket);
                release(w);
                if (x.finish().serviceItemId() != null) {
                    t.item = x.finish().serviceItemId();
                }
                if (x.finish().outcome() == Outcome.TRANSFERRED) {
                    transfer(t, x.finish().transferTo());
                } else {
                    t.state = TicketState.FINISHED;
                    t.window = null;
                    count("hall").served++;
                    count(t.category).served++;
                }
            } else if (c instanceof Command.Transfer x) {
                RefWindow w = windows.get(x.windowId());
                RefTicket t = tickets.get(w.ticket);
                release(w);
                transfer(t, x.target());
            } else if (c instanceof Command.MarkNoShow x) {
                RefWindow w = windows.get(x.windowId());
                RefTicket t = tickets.get(w.ticket);
                release(w);
                t.state = TicketState.NO_SHOW;
                t.window = null;
                t.noShowAt = h.now;
                count("hall").noShows++;
                count(t.category).noShows++;
            } else if (c instanceof Command.Reactivate x) {
                RefTicket t = tickets.get(x.ticketNumber());
                t.state = TicketState.WAITING;
                t.calls = 0;
                t.waitingSince = h.now;
            } else if (c instanceof Command.Pause x) {
                RefWindow w = windows.get(x.windowId());
                w.resume = w.state;
                if (x.kind() == PauseKind.SUSPENDED && w.state == WindowState.CALLING) {
                    RefTicket t = tickets.get(w.ticket);
                    t.state = TicketState.WAITING;
                    t.window = null;
                    t.calls = 0;
                    w.ticket = null;
                    w.resume = WindowState.IDLE;
                }
                w.state = WindowState.PAUSED;
            } else if (c instanceof Command.Resume x) {
                RefWindow w = windows.get(x.windowId());
                w.state = w.resume;
                w.resume = null;
            } else if (c instanceof Command.OpenWindow x) {
                RefWindow w = windows.get(x.windowId());
                w.state = WindowState.IDLE;
                w.staff = x.staffId();
            } else if (c instanceof Command.CloseWindow x) {
                RefWindow w = windows.get(x.windowId());
                w.state = WindowState.CLOSED;
                w.staff = null;
                w.resume = null;
            } else if (c instanceof Command.RecordManualCase x) {
                TicketView tv = (TicketView) result;
                assertEquals(newNumber(x.manualCase().categoryId()), tv.number(), "numbering");
                RefTicket t = newTicket(tv.number(), x.manualCase().categoryId(), PriorityClass.NORMAL);
                t.state = TicketState.FINISHED;
                t.responsible = x.manualCase().windowId();
                count("hall").served++;
                count(t.category).served++;
            } else if (c instanceof Command.StartDay x) {
                for (RefTicket t : tickets.values()) {
                    if (t.state == TicketState.WAITING || t.state == TicketState.CALLED
                            || t.state == TicketState.SERVING) {
                        count("hall").noShows++;
                        count(t.category).noShows++;
                    }
                }
                frozen.put(day, new HashMap<>(counts));
                counts.clear();
                tickets.clear();
                lastNumber.clear();
                codes.clear();
                consecutivePriority = 0;
                for (RefWindow w : windows.values()) {
                    if (w.ticket != null) {
                        release(w);
                    }
                }
                day = x.day();
            }
        }

        /** R1 in the default order: the model checks the fairness decision it can see. */
        void checkFairness(List<RefTicket> cands, RefTicket chosen) {
            boolean anyPriority = cands.stream().anyMatch(t -> t.priority != PriorityClass.NORMAL);
            boolean anyNormal = cands.stream().anyMatch(t -> t.priority == PriorityClass.NORMAL);
            if (chosen.priority == PriorityClass.NORMAL && anyPriority) {
                boolean waitedTooLong = Duration.between(chosen.waitingSince, h.now)
                        .compareTo(SETTINGS.maxNormalWait()) > 0;
                assertTrue(consecutivePriority >= SETTINGS.maxConsecutivePriorityCalls() || waitedTooLong,
                        "a normal ticket went before priority ones without a fairness reason");
            }
            if (chosen.priority != PriorityClass.NORMAL && anyNormal) {
                assertTrue(consecutivePriority < SETTINGS.maxConsecutivePriorityCalls(),
                        "the consecutive-priority bound was ignored");
            }
        }

        void release(RefWindow w) {
            w.ticket = null;
            if (w.state == WindowState.PAUSED) {
                w.resume = WindowState.IDLE;
            } else {
                w.state = WindowState.IDLE;
            }
        }

        void transfer(RefTicket t, TransferTarget to) {
            count("hall").transfers++;
            count(t.category).transfers++;
            if (!to.categoryId().equals(t.category)) {
                t.item = null;
            }
            t.category = to.categoryId();
            t.target = to.windowId();
            t.state = TicketState.WAITING;
            t.window = null;
            t.calls = 0;
            t.waitingSince = h.now;
        }

        // ---- comparison and invariants -------------------------------------------------------

        void check() {
            String at = "step " + step + ": "; // built once per step; messages below are lazy
            assertEquals(day, h.state.day(), () -> at + "day");
            List<TicketView> all = h.state.tickets();
            assertEquals(tickets.size(), all.size(), () -> at + "no ticket lost or added");
            Set<String> numbers = new HashSet<>();
            Map<String, Integer> waiting = new HashMap<>();
            for (TicketView tv : all) {
                assertTrue(numbers.add(tv.number()), () -> at + "duplicate number " + tv.number());
                RefTicket t = tickets.get(tv.number());
                assertNotNull(t, () -> at + "unknown ticket " + tv.number());
                assertEquals(t.state, tv.state(), () -> at + tv.number() + " state");
                assertEquals(t.category, tv.categoryId(), () -> at + tv.number() + " category");
                assertEquals(t.priority, tv.priority(), () -> at + tv.number() + " priority");
                assertEquals(t.window, tv.windowId(), () -> at + tv.number() + " window");
                assertEquals(t.calls, tv.calls(), () -> at + tv.number() + " calls");
                assertEquals(t.responsible, tv.responsibleWindowId(), () -> at + tv.number() + " responsible");
                assertEquals(t.item, tv.serviceItemId(), () -> at + tv.number() + " service item");
                assertTrue(NUMBER.matcher(tv.number()).matches(), () -> at + "number format " + tv.number());
                if (tv.state() == TicketState.CALLED || tv.state() == TicketState.SERVING) {
                    WindowView w = h.window(tv.windowId());
                    assertEquals(tv.number(), w.ticketNumber(), () -> at + tv.number() + " is held by its window");
                } else {
                    assertEquals(null, tv.windowId(), () -> at + tv.number() + " has no window");
                }
                if (tv.state() == TicketState.WAITING) {
                    waiting.merge(tv.categoryId(), 1, Integer::sum);
                }
            }
            for (String id : WINDOWS) {
                RefWindow r = windows.get(id);
                WindowView w = h.window(id);
                assertEquals(r.state, w.state(), () -> at + "window " + id + " state");
                assertEquals(r.staff, w.staffId(), () -> at + "window " + id + " staff");
                assertEquals(r.ticket, w.ticketNumber(), () -> at + "window " + id + " ticket");
                if (w.ticketNumber() != null) {
                    TicketView t = h.ticket(w.ticketNumber());
                    assertTrue(t.state() == TicketState.CALLED || t.state() == TicketState.SERVING,
                            () -> at + "window " + id + " holds " + t);
                    assertEquals(id, t.windowId());
                    WindowState expected = t.state() == TicketState.CALLED ? WindowState.CALLING : WindowState.SERVING;
                    assertTrue(w.state() == expected || w.state() == WindowState.PAUSED,
                            () -> at + "window " + id + " " + w.state() + " with a " + t.state() + " ticket");
                }
            }
            for (CategoryView cv : h.state.snapshot(step, h.now).categories()) {
                assertEquals(waiting.getOrDefault(cv.id(), 0).intValue(), cv.waiting(), () -> at + "waiting " + cv.id());
            }
            if (step % 10 != 0 && !rollover) {
                return; // computing statistics sorts every sample: every 10th step and around rollovers
            }
            DayStatistics s = h.state.statistics(day).orElseThrow();
            assertCounts(at + "today", counts, s);
            assertEquals(tickets.size(), s.hall().issued(), () -> at + "issued = tickets");
            long finished = tickets.values().stream().filter(t -> t.state == TicketState.FINISHED).count();
            assertTrue(s.hall().served() >= finished, () -> at + "every finished ticket was served");
            if (rollover) {
                for (Map.Entry<LocalDate, Map<String, Counts>> e : frozen.entrySet()) {
                    assertCounts(at + e.getKey(), e.getValue(), h.state.statistics(e.getKey()).orElseThrow());
                }
            }
        }

        void assertCounts(String at, Map<String, Counts> expected, DayStatistics s) {
            assertFigures(at + " hall", expected.get("hall"), s.hall());
            for (String cat : CATEGORIES) {
                assertFigures(at + " " + cat, expected.get(cat), s.byCategory().getOrDefault(cat, Figures.EMPTY));
            }
        }

        void assertFigures(String at, Counts c, Figures f) {
            Counts e = c == null ? new Counts() : c;
            assertEquals(e.issued, f.issued(), () -> at + " issued");
            assertEquals(e.served, f.served(), () -> at + " served");
            assertEquals(e.noShows, f.noShows(), () -> at + " noShows");
            assertEquals(e.transfers, f.transfers(), () -> at + " transfers");
        }

        // ---- replay ------------------------------------------------------------------------

        void replay() {
            byte[] live = StateCodec.encode(h.state);
            // the journal as the engine stores it: type and JSON
            List<DomainEvent> journal = new ArrayList<>(h.events.size());
            for (DomainEvent e : h.events) {
                DomainEvent back = EventCodec.decode(e.type(), EventCodec.encode(e));
                assertEquals(e, back);
                journal.add(back);
            }
            // the whole journal into a fresh state
            HallState fresh = new HallState(h.state.config(), TestHall.DAY);
            fresh.applyAll(journal);
            assertArrayEquals(live, StateCodec.encode(fresh), "replay from the start differs");
            // a snapshot taken on the way, then the tail
            HallState restored = StateCodec.decode(snapshot, h.state.config());
            restored.applyAll(journal.subList(snapshotEvents, journal.size()));
            assertArrayEquals(live, StateCodec.encode(restored), "snapshot + tail differs");
            assertEquals(h.state.snapshot(1, h.now), restored.snapshot(1, h.now));
        }
    }
}
