package org.openhall.queue.core.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.Outcome;
import org.openhall.api.queue.TicketState;
import org.openhall.api.queue.TicketView;
import org.openhall.api.queue.TransferTarget;
import org.openhall.api.queue.WindowState;

/** Outcomes (R8) and transfers (R9, R20). */
class FinishTest {

    private static final Actor S1 = TestHall.staffActor("1");

    /** A hall with window 1 serving A001 (service item as given at the kiosk). */
    private static TestHall serving(String item) {
        TestHall h = new TestHall();
        h.open("1");
        h.open("3");
        if (item == null) {
            h.issue("A");
        } else {
            h.issueItem("A", item);
        }
        h.call("1");
        h.start("1");
        h.advanceSeconds(120);
        return h;
    }

    private static Command finish(Finish f) {
        return new Command.Finish(S1, "1", f);
    }

    @Test
    void done() {
        TestHall h = serving(null);
        TicketView t = h.finish("1", Finish.done().withServiceItem("A02"));
        assertEquals(Outcome.DONE, t.outcome());
        assertEquals("A02", t.serviceItemId());
        DomainEvent.ServiceFinished e = (DomainEvent.ServiceFinished) h.events.get(h.events.size() - 1);
        assertEquals(300L, e.timeLimitSeconds(), "the time limit travels in the event (R6)");
        assertEquals(TestHall.T0, e.startedAt());
    }

    @Test
    void materialsIncompleteNeedsTheFullListFromTheChecklist() {
        TestHall h = serving("A01"); // checklist 身份证, 申请表, 照片
        h.err(ErrorCode.INVALID_ARGUMENT, finish(Finish.materialsIncomplete(List.of())));
        h.err(ErrorCode.INVALID_ARGUMENT, finish(Finish.materialsIncomplete(List.of("户口本"))));
        h.err(ErrorCode.INVALID_ARGUMENT, finish(Finish.materialsIncomplete(List.of("照片", "照片"))));
        h.err(ErrorCode.INVALID_ARGUMENT, finish(Finish.materialsIncomplete(List.of(" "))));
        h.err(ErrorCode.INVALID_ARGUMENT,
                finish(new Finish(Outcome.DONE, List.of("照片"), null, null, null, null)));
        TicketView t = h.finish("1", Finish.materialsIncomplete(List.of("身份证", "照片")));
        assertEquals(Outcome.MATERIALS_INCOMPLETE, t.outcome());
        DomainEvent.ServiceFinished e = (DomainEvent.ServiceFinished) h.events.get(h.events.size() - 1);
        assertEquals(List.of("身份证", "照片"), e.missingMaterials());
        assertEquals("A01", e.serviceItemId());
        assertEquals(600L, e.timeLimitSeconds());
    }

    @Test
    void materialsWithoutAChecklistAreFree() {
        TestHall h = serving(null);
        h.finish("1", Finish.materialsIncomplete(List.of("任何材料")));
        TestHall g = serving("A02"); // an item with an empty checklist
        g.finish("1", Finish.materialsIncomplete(List.of("任何材料")));
        TestHall k = serving(null); // the window names the item: its checklist applies
        k.err(ErrorCode.INVALID_ARGUMENT, finish(Finish.materialsIncomplete(List.of("任何材料")).withServiceItem("A01")));
    }

    @Test
    void unknownServiceItem() {
        TestHall h = serving(null);
        h.err(ErrorCode.UNKNOWN_SERVICE_ITEM, finish(Finish.done().withServiceItem("ZZ")));
    }

    @Test
    void refusalNeedsReasonAndLegalBasis() {
        TestHall h = serving(null);
        h.err(ErrorCode.INVALID_ARGUMENT, finish(Finish.refused(null, "条例")));
        h.err(ErrorCode.INVALID_ARGUMENT, finish(Finish.refused("不符合", " ")));
        TicketView t = h.finish("1", Finish.refused("不符合条件", "《条例》第五条"));
        assertEquals(Outcome.REFUSED, t.outcome());
        DomainEvent.ServiceFinished e = (DomainEvent.ServiceFinished) h.events.get(h.events.size() - 1);
        assertEquals("不符合条件", e.reason());
        assertEquals("《条例》第五条", e.legalBasis());
    }

    @Test
    void transferredOutcomeValidation() {
        TestHall h = serving(null);
        h.err(ErrorCode.INVALID_ARGUMENT, finish(Finish.transferred(null)));
        h.err(ErrorCode.INVALID_ARGUMENT, finish(Finish.transferred(new TransferTarget(null, null))));
        h.err(ErrorCode.UNKNOWN_CATEGORY, finish(Finish.transferred(new TransferTarget("Q", null))));
        h.err(ErrorCode.UNKNOWN_WINDOW, finish(Finish.transferred(new TransferTarget("B", "99"))));
        h.err(ErrorCode.CATEGORY_NOT_SERVED, finish(Finish.transferred(new TransferTarget("B", "1"))));
        h.err(ErrorCode.INVALID_ARGUMENT, finish(Finish.transferred(new TransferTarget("A", null))));
        h.err(ErrorCode.INVALID_ARGUMENT, finish(Finish.transferred(new TransferTarget("A", "1"))));
        h.ok(finish(Finish.transferred(new TransferTarget("A", "2")))); // same category, another window
    }

    @Test
    void transferredOutcomeProducesTwoEventsAndRequeues() {
        TestHall h = serving("A01");
        int before = h.events.size();
        TicketView t = h.finish("1", Finish.transferred(new TransferTarget("B", null)));
        List<DomainEvent> produced = h.events.subList(before, h.events.size());
        assertEquals(2, produced.size());
        assertTrue(produced.get(0) instanceof DomainEvent.ServiceFinished);
        assertTrue(produced.get(1) instanceof DomainEvent.TicketTransferred);
        assertEquals("A001", t.number());
        assertEquals("B", t.categoryId());
        assertEquals(TicketState.WAITING, t.state());
        assertEquals(Outcome.TRANSFERRED, t.outcome());
        assertEquals(h.now, t.finishedAt());
        assertNull(t.serviceItemId(), "the item belonged to category A");
        assertEquals("1", t.responsibleWindowId());
        assertNull(t.windowId());
        assertEquals(0, t.calls());
        assertEquals(WindowState.IDLE, h.window("1").state());
        // the next window serves it; the first stays responsible (R8)
        h.call("3");
        h.start("3");
        h.advanceSeconds(60);
        TicketView d = h.done("3");
        assertEquals("1", d.responsibleWindowId());
        assertEquals(Outcome.DONE, d.outcome());
    }

    @Test
    void transferOfACalledTicket() {
        TestHall h = new TestHall();
        h.open("1");
        h.issue("A");
        h.call("1");
        TicketView t = h.transfer("1", "B", "3");
        assertEquals(TicketState.WAITING, t.state());
        assertNull(t.responsibleWindowId(), "never started: nobody is responsible yet");
        assertEquals(WindowState.IDLE, h.window("1").state());
        h.err(ErrorCode.ILLEGAL_STATE, new Command.Transfer(S1, "1", new TransferTarget("B", null)));
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.Transfer(S1, "1", null));
    }

    @Test
    void transferCommandValidatesItsTarget() {
        TestHall h = serving(null);
        h.err(ErrorCode.UNKNOWN_CATEGORY, new Command.Transfer(S1, "1", new TransferTarget("Q", null)));
        h.err(ErrorCode.CATEGORY_NOT_SERVED, new Command.Transfer(S1, "1", new TransferTarget("C", "3")));
        h.err(ErrorCode.UNKNOWN_WINDOW, new Command.Transfer(S1, "1", new TransferTarget("C", "77")));
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.Transfer(S1, "1", new TransferTarget("A", null)));
        TicketView t = h.transfer("1", "C", "4");
        assertEquals("C", t.categoryId());
        assertNull(t.finishedAt(), "a transfer without an outcome ends no transaction");
        assertNull(t.outcome());
    }
}
