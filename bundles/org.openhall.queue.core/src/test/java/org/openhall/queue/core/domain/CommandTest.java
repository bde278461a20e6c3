package org.openhall.queue.core.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.Appointment;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.ManualCase;
import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.TransferTarget;

class CommandTest {

    private static final Actor A = Actor.staff("1001");
    private static final Instant T = Instant.parse("2026-03-02T08:00:00Z");

    @Test
    void fingerprintsAreStableAndDistinct() {
        List<Command> commands = List.of(
                new Command.IssueTicket(A, "A", PriorityClass.NORMAL, null),
                new Command.IssueTicket(A, "A", PriorityClass.GREEN_CHANNEL, null),
                new Command.IssueTicket(A, "A", PriorityClass.NORMAL, "A01"),
                new Command.IssueTicket(Actor.device("kiosk"), "A", PriorityClass.NORMAL, null),
                new Command.CheckIn(A, new Appointment("X1", "A", T, T.plusSeconds(900))),
                new Command.CheckIn(A, null),
                new Command.CallNext(A, "1"), new Command.CallNext(A, "2"),
                new Command.Recall(A, "1"), new Command.Start(A, "1"),
                new Command.Finish(A, "1", Finish.done()),
                new Command.Finish(A, "1", Finish.done().withServiceItem("A01")),
                new Command.Finish(A, "1", Finish.materialsIncomplete(List.of("a", "b"))),
                new Command.Finish(A, "1", Finish.materialsIncomplete(List.of("a,b"))),
                new Command.Finish(A, "1", Finish.refused("r", "l")),
                new Command.Finish(A, "1", Finish.transferred(new TransferTarget("B", null))),
                new Command.Transfer(A, "1", new TransferTarget("B", null)),
                new Command.Transfer(A, "1", new TransferTarget("B", "3")),
                new Command.MarkNoShow(A, "1"), new Command.Reactivate(A, "A001"),
                new Command.Pause(A, "1", PauseKind.BRIEF, null), new Command.Pause(A, "1", PauseKind.SUSPENDED, "x"),
                new Command.Resume(A, "1"),
                new Command.OpenWindow(A, "1", "1001", "secret"),
                new Command.CloseWindow(A, "1"),
                new Command.RecordManualCase(A, new ManualCase("A", null, "1", "1001", T, T, T, Finish.done())),
                new Command.StartDay(A, LocalDate.of(2026, 3, 3)));
        Set<String> seen = new HashSet<>();
        for (Command c : commands) {
            assertEquals(c.fingerprint(), c.fingerprint());
            assertEquals(c.fingerprint(), copy(c).fingerprint(), "equal commands, equal fingerprints");
            assertTrue(seen.add(c.fingerprint()), () -> "duplicate fingerprint " + c.fingerprint());
        }
        assertEquals("callNext{actor=\"STAFF:1001\",window=\"1\"}", new Command.CallNext(A, "1").fingerprint());
    }

    @Test
    void quotingKeepsArgumentsApart() {
        String a = new Command.Pause(A, "1", PauseKind.BRIEF, "a\",kind=SUSPENDED").fingerprint();
        String b = new Command.Pause(A, "1", PauseKind.BRIEF, "a").fingerprint();
        assertNotEquals(a, b);
    }

    @Test
    void credentialsNeverLeaveOpenWindow() {
        Command.OpenWindow c = new Command.OpenWindow(A, "1", "1001", "topsecret-pin");
        assertFalse(c.fingerprint().contains("topsecret"));
        assertFalse(c.toString().contains("topsecret"));
        assertEquals(c.fingerprint(), new Command.OpenWindow(A, "1", "1001", "other").fingerprint());
    }

    @Test
    void actorIsRequired() {
        assertThrows(NullPointerException.class, () -> new Command.CallNext(null, "1"));
    }

    private static void assertTrue(boolean b, java.util.function.Supplier<String> m) {
        org.junit.jupiter.api.Assertions.assertTrue(b, m);
    }

    /** A structurally equal copy (records: same components). */
    private static Command copy(Command c) {
        if (c instanceof Command.OpenWindow o) {
            return new Command.OpenWindow(o.actor(), o.windowId(), o.staffId(), o.credential());
        }
        return c;
    }
}
