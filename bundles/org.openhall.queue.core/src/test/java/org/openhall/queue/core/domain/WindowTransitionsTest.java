package org.openhall.queue.core.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.openhall.api.queue.ErrorCode.ILLEGAL_STATE;
import static org.openhall.api.queue.ErrorCode.WINDOW_NOT_OPEN;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.QueueError;
import org.openhall.api.queue.TicketState;
import org.openhall.api.queue.TicketView;
import org.openhall.api.queue.TransferTarget;
import org.openhall.api.queue.WindowState;
import org.openhall.api.queue.WindowView;

/**
 * Every window command in every window state: allowed ones are accepted, the others are refused
 * with the documented code and change nothing (the state's JSON is compared before and after).
 */
class WindowTransitionsTest {

    private static final String W = "2";
    private static final Actor STAFF = TestHall.staffActor(W);
    private static final ErrorCode OK = null;

    /** The window states to test, each built from a fresh hall with tickets A001 and A002 waiting. */
    private static final Map<String, Consumer<TestHall>> STATES = new LinkedHashMap<>();
    static {
        STATES.put("CLOSED", h -> { });
        STATES.put("IDLE", h -> h.open(W));
        STATES.put("CALLING", h -> {
            h.open(W);
            h.call(W);
        });
        STATES.put("SERVING", h -> {
            h.open(W);
            h.call(W);
            h.start(W);
        });
        STATES.put("PAUSED_BRIEF_IDLE", h -> {
            h.open(W);
            h.pause(W, PauseKind.BRIEF, null);
        });
        STATES.put("PAUSED_BRIEF_CALLING", h -> {
            h.open(W);
            h.call(W);
            h.pause(W, PauseKind.BRIEF, "请稍候");
        });
        STATES.put("PAUSED_BRIEF_SERVING", h -> {
            h.open(W);
            h.call(W);
            h.start(W);
            h.pause(W, PauseKind.BRIEF, null);
        });
        STATES.put("SUSPENDED", h -> {
            h.open(W);
            h.pause(W, PauseKind.SUSPENDED, "系统维护");
        });
    }

    private static final List<String> COMMANDS = List.of("callNext", "recall", "start", "finish", "transfer",
            "noShow", "pauseBrief", "pauseSuspended", "resume", "open", "close");

    /** Expected result per state, in the order of {@link #COMMANDS}; null = accepted. */
    private static final Map<String, ErrorCode[]> EXPECTED = Map.of(
            "CLOSED", row(WINDOW_NOT_OPEN, WINDOW_NOT_OPEN, WINDOW_NOT_OPEN, WINDOW_NOT_OPEN, WINDOW_NOT_OPEN,
                    WINDOW_NOT_OPEN, WINDOW_NOT_OPEN, WINDOW_NOT_OPEN, WINDOW_NOT_OPEN, OK, WINDOW_NOT_OPEN),
            "IDLE", row(OK, ILLEGAL_STATE, ILLEGAL_STATE, ILLEGAL_STATE, ILLEGAL_STATE, ILLEGAL_STATE, OK, OK,
                    ILLEGAL_STATE, ILLEGAL_STATE, OK),
            "CALLING", row(ILLEGAL_STATE, OK, OK, ILLEGAL_STATE, OK, OK, OK, OK, ILLEGAL_STATE, ILLEGAL_STATE,
                    ILLEGAL_STATE),
            "SERVING", row(ILLEGAL_STATE, ILLEGAL_STATE, ILLEGAL_STATE, OK, OK, ILLEGAL_STATE, OK, ILLEGAL_STATE,
                    ILLEGAL_STATE, ILLEGAL_STATE, ILLEGAL_STATE),
            "PAUSED_BRIEF_IDLE", row(WINDOW_NOT_OPEN, WINDOW_NOT_OPEN, WINDOW_NOT_OPEN, WINDOW_NOT_OPEN,
                    WINDOW_NOT_OPEN, WINDOW_NOT_OPEN, ILLEGAL_STATE, ILLEGAL_STATE, OK, ILLEGAL_STATE, OK),
            "PAUSED_BRIEF_CALLING", row(WINDOW_NOT_OPEN, WINDOW_NOT_OPEN, WINDOW_NOT_OPEN, WINDOW_NOT_OPEN,
                    WINDOW_NOT_OPEN, WINDOW_NOT_OPEN, ILLEGAL_STATE, ILLEGAL_STATE, OK, ILLEGAL_STATE, ILLEGAL_STATE),
            "PAUSED_BRIEF_SERVING", row(WINDOW_NOT_OPEN, WINDOW_NOT_OPEN, WINDOW_NOT_OPEN, WINDOW_NOT_OPEN,
                    WINDOW_NOT_OPEN, WINDOW_NOT_OPEN, ILLEGAL_STATE, ILLEGAL_STATE, OK, ILLEGAL_STATE, ILLEGAL_STATE),
            "SUSPENDED", row(WINDOW_NOT_OPEN, WINDOW_NOT_OPEN, WINDOW_NOT_OPEN, WINDOW_NOT_OPEN, WINDOW_NOT_OPEN,
                    WINDOW_NOT_OPEN, ILLEGAL_STATE, ILLEGAL_STATE, OK, ILLEGAL_STATE, OK));

    private static ErrorCode[] row(ErrorCode... codes) {
        return codes;
    }

    private static Command command(String name) {
        return switch (name) {
            case "callNext" -> new Command.CallNext(STAFF, W);
            case "recall" -> new Command.Recall(STAFF, W);
            case "start" -> new Command.Start(STAFF, W);
            case "finish" -> new Command.Finish(STAFF, W, Finish.done());
            case "transfer" -> new Command.Transfer(STAFF, W, new TransferTarget("B", null));
            case "noShow" -> new Command.MarkNoShow(STAFF, W);
            case "pauseBrief" -> new Command.Pause(STAFF, W, PauseKind.BRIEF, null);
            case "pauseSuspended" -> new Command.Pause(STAFF, W, PauseKind.SUSPENDED, "午休");
            case "resume" -> new Command.Resume(STAFF, W);
            case "open" -> new Command.OpenWindow(STAFF, W, "1002", "pin-1002");
            case "close" -> new Command.CloseWindow(STAFF, W);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Test
    void everyCommandInEveryWindowState() {
        int checked = 0;
        for (Map.Entry<String, Consumer<TestHall>> s : STATES.entrySet()) {
            ErrorCode[] expected = EXPECTED.get(s.getKey());
            for (int i = 0; i < COMMANDS.size(); i++) {
                TestHall h = new TestHall();
                h.issue("A");
                h.issue("A");
                h.advanceSeconds(60);
                s.getValue().accept(h);
                h.advanceSeconds(30);
                Command c = command(COMMANDS.get(i));
                byte[] before = StateCodec.encode(h.state);
                Decision d = h.decide(c);
                assertArrayEquals(before, StateCodec.encode(h.state), "decide changed the state");
                String where = s.getKey() + " × " + COMMANDS.get(i);
                if (expected[i] == null) {
                    if (d instanceof Decision.Rejected r) {
                        fail(where + ": expected accepted, got " + r.error());
                    }
                    h.ok(c); // and it applies cleanly
                } else {
                    if (!(d instanceof Decision.Rejected r)) {
                        fail(where + ": expected " + expected[i] + ", was accepted");
                        return;
                    }
                    assertEquals(expected[i], r.error().code(), where + ": " + r.error().message());
                    assertTrue(!r.error().message().isBlank());
                }
                checked++;
            }
        }
        assertEquals(STATES.size() * COMMANDS.size(), checked);
    }

    @Test
    void staffWorkOnlyTheWindowTheySignedInAtWhileDevicesActForTheSignedInStaff() {
        TestHall h = new TestHall();
        h.issue("A");
        h.open("1"); // staff 1001
        String before = h.json();
        QueueError e = h.err(ErrorCode.BAD_CREDENTIALS, new Command.CallNext(Actor.staff("1002"), "1"));
        assertTrue(e.message().contains("R17"), e.message());
        h.err(ErrorCode.BAD_CREDENTIALS, new Command.CloseWindow(Actor.staff("1002"), "1"));
        h.err(ErrorCode.BAD_CREDENTIALS, new Command.Pause(Actor.staff("1002"), "1", PauseKind.BRIEF, "x"));
        assertEquals(before, h.json(), "refusals change nothing");
        // The window's caller keypad acts for whoever is signed in; the event names that staff member.
        TicketView called = (TicketView) h.ok(new Command.CallNext(Actor.device("caller-1"), "1"));
        assertEquals("1", called.windowId());
    }

    @Test
    void normalCycle() {
        TestHall h = new TestHall();
        h.issue("A");
        WindowView w = h.open("1");
        assertEquals(WindowState.IDLE, w.state());
        assertEquals("1001", w.staffId());
        assertEquals("员工1001", w.staffName());
        assertEquals(h.now, w.since());
        h.advanceSeconds(10);
        TicketView called = h.call("1");
        assertEquals(TicketState.CALLED, called.state());
        assertEquals(1, called.calls());
        assertEquals("1", called.windowId());
        assertEquals(WindowState.CALLING, h.window("1").state());
        assertEquals("A001", h.window("1").ticketNumber());
        h.advanceSeconds(10);
        assertEquals(2, h.recall("1").calls());
        assertEquals(h.now, h.ticket("A001").calledAt());
        TicketView serving = h.start("1");
        assertEquals(TicketState.SERVING, serving.state());
        assertEquals("1", serving.responsibleWindowId());
        assertEquals(WindowState.SERVING, h.window("1").state());
        h.advanceSeconds(100);
        TicketView done = h.done("1");
        assertEquals(TicketState.FINISHED, done.state());
        assertEquals(h.now, done.finishedAt());
        assertNull(done.windowId());
        assertEquals("1", done.responsibleWindowId());
        assertEquals(WindowState.IDLE, h.window("1").state());
        assertNull(h.window("1").ticketNumber());
        WindowView closed = h.close("1");
        assertEquals(WindowState.CLOSED, closed.state());
        assertNull(closed.staffId());
        assertNull(closed.staffName());
    }

    @Test
    void openWindowChecks() {
        TestHall h = new TestHall();
        Actor s1 = Actor.staff("1001");
        h.err(ErrorCode.UNKNOWN_WINDOW, new Command.OpenWindow(s1, "99", "1001", "pin-1001"));
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.OpenWindow(s1, null, "1001", "pin-1001"));
        h.err(ErrorCode.UNKNOWN_STAFF, new Command.OpenWindow(Actor.device("caller-1"), "1", "9999", "x"));
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.OpenWindow(s1, "1", null, "pin-1001"));
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.OpenWindow(s1, "1", "1001", ""));
        h.err(ErrorCode.BAD_CREDENTIALS, new Command.OpenWindow(s1, "1", "1001", "pin-1002"));
        // R17: staff use their own id
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.OpenWindow(Actor.staff("1002"), "1", "1001", "pin-1001"));
        // a caller device may sign staff in with their credential
        h.ok(new Command.OpenWindow(Actor.device("caller-1"), "1", "1001", "pin-1001"));
        // one window per staff member at a time
        h.err(ErrorCode.ILLEGAL_STATE, new Command.OpenWindow(s1, "2", "1001", "pin-1001"));
        h.err(ErrorCode.ILLEGAL_STATE, new Command.OpenWindow(Actor.staff("1002"), "1", "1002", "pin-1002"));
        h.close("1");
        h.ok(new Command.OpenWindow(s1, "2", "1001", "pin-1001"));
        assertEquals(2, h.events.stream().filter(e -> e instanceof DomainEvent.WindowOpened).count());
        // no event carries the credential
        for (DomainEvent e : h.events) {
            assertTrue(!new String(EventCodec.encode(e)).contains("pin-"), e.toString());
        }
    }

    @Test
    void unknownWindowsAndMissingIds() {
        TestHall h = new TestHall();
        h.issue("A");
        for (String id : new String[] {"99", null, ""}) {
            ErrorCode code = id == null || id.isEmpty() ? ErrorCode.INVALID_ARGUMENT : ErrorCode.UNKNOWN_WINDOW;
            h.err(code, new Command.CallNext(STAFF, id));
            h.err(code, new Command.Recall(STAFF, id));
            h.err(code, new Command.Start(STAFF, id));
            h.err(code, new Command.Finish(STAFF, id, Finish.done()));
            h.err(code, new Command.Transfer(STAFF, id, new TransferTarget("B", null)));
            h.err(code, new Command.MarkNoShow(STAFF, id));
            h.err(code, new Command.Pause(STAFF, id, PauseKind.BRIEF, null));
            h.err(code, new Command.Resume(STAFF, id));
            h.err(code, new Command.CloseWindow(STAFF, id));
        }
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.Pause(STAFF, "1", null, null));
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.Finish(STAFF, "1", null));
    }

    @Test
    void briefPauseKeepsTheTicketAndResumesWhereItWas() {
        TestHall h = new TestHall();
        h.issue("A");
        h.open("1");
        h.call("1");
        WindowView p = h.pause("1", PauseKind.BRIEF, "  ");
        assertEquals(WindowState.PAUSED, p.state());
        assertEquals(PauseKind.BRIEF, p.pauseKind());
        assertNull(p.pauseReason(), "a blank reason is no reason");
        assertEquals("A001", p.ticketNumber());
        assertEquals(TicketState.CALLED, h.ticket("A001").state());
        WindowView r = h.resume("1");
        assertEquals(WindowState.CALLING, r.state());
        assertEquals("A001", r.ticketNumber());
        assertNull(r.pauseKind());
        h.start("1");
        h.pause("1", PauseKind.BRIEF, "取资料");
        assertEquals(WindowState.SERVING, h.resume("1").state());
    }

    @Test
    void suspensionNeedsAReasonAndSendsTheCalledTicketBack() {
        TestHall h = new TestHall();
        h.issue("A");
        h.advanceSeconds(10);
        h.issue("A");
        h.open("1");
        h.open("2");
        h.call("1");
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.Pause(TestHall.staffActor("1"), "1", PauseKind.SUSPENDED, " "));
        WindowView p = h.pause("1", PauseKind.SUSPENDED, "系统故障");
        assertEquals(WindowState.PAUSED, p.state());
        assertEquals("系统故障", p.pauseReason());
        assertNull(p.ticketNumber());
        TicketView back = h.ticket("A001");
        assertEquals(TicketState.WAITING, back.state());
        assertNull(back.windowId());
        assertEquals(0, back.calls());
        // R4: its citizen is served by another window of the category, first (kept their place)
        assertEquals("A001", h.call("2").number());
        assertEquals(WindowState.IDLE, h.resume("1").state());
        assertEquals("A002", h.call("1").number());
    }

    @Test
    void suspensionIsRefusedWhileServing() {
        TestHall h = new TestHall();
        h.issue("A");
        h.open("1");
        h.call("1");
        h.start("1");
        h.err(ErrorCode.ILLEGAL_STATE, new Command.Pause(TestHall.staffActor("1"), "1", PauseKind.SUSPENDED, "x"));
    }

    @Test
    void closingAPausedWindowWithoutTicket() {
        TestHall h = new TestHall();
        h.open("1");
        h.pause("1", PauseKind.SUSPENDED, "下班");
        WindowView c = h.close("1");
        assertEquals(WindowState.CLOSED, c.state());
        assertNull(c.pauseKind());
        assertEquals(WindowState.IDLE, h.open("1").state());
    }

    @Test
    void noTicketWaiting() {
        TestHall h = new TestHall();
        h.open("4");
        h.issue("A");
        h.err(ErrorCode.NO_TICKET_WAITING, new Command.CallNext(TestHall.staffActor("4"), "4"));
    }
}
