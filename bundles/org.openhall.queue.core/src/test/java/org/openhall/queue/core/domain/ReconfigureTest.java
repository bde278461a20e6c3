package org.openhall.queue.core.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.TicketState;
import org.openhall.api.queue.WindowState;

/** Configuration changes never touch the state, and apply never reads the configuration. */
class ReconfigureTest {

    private static HallConfig without(HallConfig c, String windowId, String categoryId) {
        return new HallConfig(c.hallId(), c.hallName(), c.zone(), c.hours(), c.holidays(),
                c.categories().stream().filter(x -> !x.id().equals(categoryId)).toList(),
                c.windows().stream().filter(x -> !x.id().equals(windowId))
                        .map(w -> new WindowConfig(w.id(), w.name(),
                                w.categories().stream().filter(k -> !k.equals(categoryId)).toList(), w.standby()))
                        .toList(),
                c.staff(), c.settings());
    }

    @Test
    void removedWindowKeepsItsStateButIsHiddenAndReleasesItsStaff() {
        TestHall h = new TestHall();
        HallConfig original = h.state.config();
        h.open("2");
        h.issue("A");
        h.call("2");
        h.start("2");
        byte[] before = StateCodec.encode(h.state);
        h.state.reconfigure(without(original, "2", null));
        assertArrayEquals(before, StateCodec.encode(h.state), "reconfigure does not change the state");
        assertTrue(h.state.snapshot(0, h.now).windows().stream().noneMatch(w -> w.id().equals("2")));
        assertTrue(h.state.window("2").isEmpty());
        h.err(ErrorCode.UNKNOWN_WINDOW, new Command.Finish(TestHall.staffActor("2"), "2", Finish.done()));
        assertEquals(TicketState.SERVING, h.ticket("A001").state());
        // its staff may sign in elsewhere
        h.ok(new Command.OpenWindow(Actor.staff("1002"), "1", "1002", "pin-1002"));
        // the window comes back where it was
        h.state.reconfigure(original);
        assertEquals(WindowState.SERVING, h.window("2").state());
        h.done("2");
        assertEquals(TicketState.FINISHED, h.ticket("A001").state());
    }

    @Test
    void removedCategoryKeepsItsTicketsUntilTheRollover() {
        TestHall h = new TestHall();
        h.issue("B");
        h.issue("B", PriorityClass.GREEN_CHANNEL);
        h.state.reconfigure(without(h.state.config(), null, "B"));
        assertEquals(List.of("A", "C"), h.state.snapshot(0, h.now).categories().stream().map(c -> c.id()).toList());
        h.err(ErrorCode.UNKNOWN_CATEGORY, new Command.IssueTicket(TestHall.KIOSK, "B", PriorityClass.NORMAL, null));
        assertEquals(TicketState.WAITING, h.ticket("B001").state());
        h.startDay(TestHall.DAY.plusDays(1));
        assertEquals(2, h.state.statistics(TestHall.DAY).orElseThrow().byCategory().get("B").noShows());
    }

    @Test
    void applyIgnoresTheConfiguration() {
        TestHall h = new TestHall();
        h.open("1");
        h.open("3");
        h.issueItem("A", "A01");
        h.issue("B", PriorityClass.GREEN_CHANNEL);
        h.serve("1", 700);
        h.call("3");
        h.noShow("3");
        h.reactivate("B001");
        h.startDay(TestHall.DAY.plusDays(1));
        h.issue("C");
        // a very different configuration: no categories, windows or staff, other settings
        HallConfig empty = new HallConfig("other", "other", java.time.ZoneOffset.ofHours(3), Map.of(), Set.of(),
                List.of(), List.of(), List.of(), new QueueSettings(1, Duration.ofMinutes(1), Duration.ofMinutes(1), 9,
                        1, Duration.ofMinutes(1), 1));
        HallState replay = new HallState(empty, TestHall.DAY);
        replay.applyAll(h.events);
        assertArrayEquals(StateCodec.encode(h.state), StateCodec.encode(replay));
    }
}
