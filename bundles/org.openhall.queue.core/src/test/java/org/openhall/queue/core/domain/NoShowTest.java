package org.openhall.queue.core.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.TicketState;
import org.openhall.api.queue.TicketView;
import org.openhall.api.queue.WindowState;

/** No-shows and re-activation (R11). */
class NoShowTest {

    private static Command reactivate(String n) {
        return new Command.Reactivate(TestHall.KIOSK, n);
    }

    @Test
    void noShowAfterRecalls() {
        TestHall h = new TestHall();
        h.open("1");
        h.issue("A");
        h.call("1");
        h.recall("1");
        h.recall("1");
        TicketView t = h.noShow("1");
        assertEquals(TicketState.NO_SHOW, t.state());
        assertEquals(3, t.calls());
        assertNull(t.windowId());
        assertEquals(WindowState.IDLE, h.window("1").state());
        DomainEvent.TicketNoShow e = (DomainEvent.TicketNoShow) h.events.get(h.events.size() - 1);
        assertEquals(3, e.calls());
        assertEquals("1001", e.staffId());
    }

    @Test
    void reactivationWithinThePeriodOnly() {
        TestHall h = new TestHall(); // 30 minutes
        h.open("1");
        h.issue("A");
        h.issue("A");
        h.call("1");
        h.noShow("1");
        h.call("1");
        h.noShow("1");
        h.advance(Duration.ofMinutes(30));
        h.reactivate("A001"); // exactly at the end: still allowed
        h.advanceSeconds(1);
        h.err(ErrorCode.EXPIRED, reactivate("A002"));
        assertEquals(TicketState.NO_SHOW, h.ticket("A002").state());
    }

    @Test
    void onlyNoShowsCanBeReactivated() {
        TestHall h = new TestHall();
        h.open("1");
        h.open("2");
        h.issue("A"); // A001 → finished
        h.issue("A"); // A002 → serving
        h.issue("A"); // A003 → called
        h.issue("A"); // A004 → waiting
        h.serve("1", 10);
        h.call("1");
        h.start("1");
        h.call("2");
        for (String n : new String[] {"A001", "A002", "A003", "A004"}) {
            h.err(ErrorCode.ILLEGAL_STATE, reactivate(n));
        }
        h.err(ErrorCode.UNKNOWN_TICKET, reactivate("A099"));
        h.err(ErrorCode.INVALID_ARGUMENT, reactivate(null));
        h.err(ErrorCode.INVALID_ARGUMENT, reactivate(""));
        // a reactivated ticket cannot be reactivated again until it is a no-show again
        h.noShow("2");
        h.reactivate("A003");
        h.err(ErrorCode.ILLEGAL_STATE, reactivate("A003"));
    }

    @Test
    void reactivatedTicketKeepsItsFirstWaitingTime() {
        TestHall h = new TestHall();
        h.open("1");
        h.issue("A");
        h.advanceSeconds(100);
        h.call("1"); // waited 100 s
        h.noShow("1");
        h.advanceSeconds(50);
        h.reactivate("A001");
        h.advanceSeconds(200);
        h.call("1");
        // the ticket was called at its step once already: one waiting sample (R21)
        assertEquals(100.0, h.state.statistics(TestHall.DAY).orElseThrow().hall().averageWaitSeconds());
        assertEquals(1, h.state.statistics(TestHall.DAY).orElseThrow().hall().noShows());
    }
}
