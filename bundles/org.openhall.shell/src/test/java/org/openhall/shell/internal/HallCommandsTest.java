package org.openhall.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.Result;
import org.openhall.api.queue.TicketState;
import org.openhall.api.queue.TicketView;
import org.openhall.api.queue.WindowState;
import org.openhall.api.queue.WindowView;

class HallCommandsTest {

    static final TicketView A001 = new TicketView("A001", "A", null, PriorityClass.NORMAL, TicketState.WAITING,
            Instant.parse("2026-11-22T01:00:00Z"), null, 0, null, null, null, null, null, false);

    @Test
    void withoutTheCoreEveryCommandSaysUnavailableInsteadOfThrowing() {
        HallCommands commands = new HallCommands();
        assertEquals(HallCommands.UNAVAILABLE, commands.issue("A"));
        assertEquals(HallCommands.UNAVAILABLE, commands.call("1"));
        assertEquals(HallCommands.UNAVAILABLE, commands.status());
    }

    @Test
    void refusalsShowTheirCodeAndMessage() {
        assertEquals("ERROR NO_TICKET_WAITING: nobody waits in A",
                HallCommands.show(Result.error(ErrorCode.NO_TICKET_WAITING, "nobody waits in A")));
    }

    @Test
    void anIssuedTicketShowsPeopleAheadAndTheEstimate() {
        String line = HallCommands.show(Result.ok(new IssuedTicket(A001, 4, 600)));
        assertTrue(line.startsWith("A001 WAITING cat=A prio=NORMAL"), line);
        assertTrue(line.endsWith("ahead=4 wait≈10min"), line);
        assertTrue(HallCommands.show(Result.ok(new IssuedTicket(A001, 0, -1))).endsWith("wait≈?"));
    }

    @Test
    void aWindowShowsItsStateTicketStaffAndPause() {
        WindowView w = new WindowView("3", "3号窗口", WindowState.PAUSED, List.of("A"), false, "A001", "1001", "王芳",
                org.openhall.api.queue.PauseKind.BRIEF, "取材料", Instant.EPOCH);
        assertEquals("window 3 PAUSED ticket=A001 staff=1001 pause=BRIEF (取材料)", HallCommands.line(w));
    }

    @Test
    void priorityNamesAreForgiving() {
        assertEquals(PriorityClass.GREEN_CHANNEL, HallCommands.priority("green"));
        assertEquals(PriorityClass.APPOINTMENT, HallCommands.priority("APPOINTMENT"));
        assertEquals(PriorityClass.NORMAL, HallCommands.priority("anything"));
    }
}
