package org.openhall.queue.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.Result;
import org.openhall.api.queue.TicketState;
import org.openhall.api.queue.TicketView;
import org.openhall.api.queue.WindowState;
import org.openhall.api.queue.WindowView;

class CodecsTest {

    final ResultCodec results = new ResultCodec();

    static final TicketView TICKET = new TicketView("A012", "A", "A01", PriorityClass.GREEN_CHANNEL,
            TicketState.CALLED, Instant.parse("2026-11-22T01:02:03Z"), Instant.parse("2026-11-22T01:12:03Z"), 1,
            null, null, "3", null, null, false);

    @Test
    void storedResultsComeBackEqual() throws IOException {
        Result<IssuedTicket> issued = Result.ok(new IssuedTicket(TICKET, 3, 420));
        assertEquals(issued, results.decode(results.encode(issued), IssuedTicket.class));
        Result<TicketView> ticket = Result.ok(TICKET);
        assertEquals(ticket, results.decode(results.encode(ticket), TicketView.class));
        Result<WindowView> window = Result.ok(new WindowView("3", "3号窗口", WindowState.IDLE, List.of("A", "B"), true,
                null, "1001", "王芳", null, null, Instant.parse("2026-11-22T01:00:00Z")));
        assertEquals(window, results.decode(results.encode(window), WindowView.class));
    }

    @Test
    void storedErrorsComeBackWithTheirCode() throws IOException {
        Result<TicketView> error = Result.error(ErrorCode.NO_TICKET_WAITING, "nobody waits for window 3");
        Result<TicketView> back = results.decode(results.encode(error), TicketView.class);
        assertFalse(back.isOk());
        assertEquals(error.error(), back.error());
    }

    @Test
    void aStoredResultOfAnotherKindIsNotPassedOffAsTheExpectedOne() {
        byte[] stored = results.encode(Result.ok(TICKET));
        assertThrows(IOException.class, () -> results.decode(stored, WindowView.class));
    }

    @Test
    void topicsFollowTheType() {
        assertEquals("org/openhall/queue/ticket/called", QueueEvents.topic(QueueEvents.TICKET_CALLED));
        assertEquals("org/openhall/queue/service/finished", QueueEvents.topic(QueueEvents.SERVICE_FINISHED));
    }
}
