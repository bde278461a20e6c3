package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.HallSnapshot;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.openhall.api.queue.TicketState;
import org.openhall.api.queue.TicketView;
import org.openhall.api.queue.WindowState;
import org.osgi.framework.BundleContext;
import org.osgi.service.event.Event;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/** The queue core in Felix with the real Config Admin (demo hall from etc/) and Event Admin. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class QueueCoreTest {

    /** The demo hall's staff member 1001 and the demo PIN documented in README.md. */
    static final String STAFF = "1001";
    static final String DEMO_PIN = "1234";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 30_000)
    HallQueue queue;

    EventRecorder events;

    @BeforeEach
    void record() {
        events = new EventRecorder(context);
    }

    @AfterEach
    void stop() {
        events.close();
    }

    static Request kiosk() {
        return Request.by(Actor.device("kiosk-1"), UUID.randomUUID().toString());
    }

    static Request staff() {
        return Request.by(Actor.staff(STAFF), UUID.randomUUID().toString());
    }

    /** Window 1 open with staff 1001, with nothing called: the state every test starts from. */
    void openWindow1() {
        queue.closeWindow(staff(), "1");
        Result<?> opened = queue.openWindow(staff(), "1", STAFF, DEMO_PIN);
        assertTrue(opened.isOk(), () -> "open window 1: " + opened);
    }

    /**
     * Serves everything still waiting in A, B and C (what other tests left) at window 5, which
     * serves all three, with staff 1002; then closes window 5. Tickets transferred to one window
     * stay for that window.
     */
    void drainAll() {
        Request s2 = Request.by(Actor.staff("1002"), UUID.randomUUID().toString());
        queue.closeWindow(s2, "5");
        Result<?> opened = queue.openWindow(Request.by(Actor.staff("1002"), UUID.randomUUID().toString()), "5", "1002",
                DEMO_PIN);
        assertTrue(opened.isOk(), () -> "open window 5: " + opened);
        while (queue.callNext(Request.by(Actor.staff("1002")), "5").isOk()) {
            queue.start(Request.by(Actor.staff("1002")), "5");
            queue.finish(Request.by(Actor.staff("1002")), "5", Finish.done());
        }
        queue.closeWindow(Request.by(Actor.staff("1002")), "5");
    }

    void drainWindow1() {
        // Serve whatever earlier tests left waiting in window 1's categories.
        while (queue.callNext(staff(), "1").isOk()) {
            queue.start(staff(), "1");
            queue.finish(staff(), "1", Finish.done());
        }
    }

    @Test
    void aTicketGoesThroughIssueCallStartFinishWithOneEventEachInSeqOrder() {
        openWindow1();
        drainWindow1();
        long before = queue.snapshot().seq();

        IssuedTicket issued = queue.issueTicket(kiosk(), "A", PriorityClass.NORMAL, "A01").value();
        String number = issued.ticket().number();
        assertTrue(number.matches("A\\d{3}"), number);
        assertEquals(TicketState.WAITING, issued.ticket().state());

        TicketView called = queue.callNext(staff(), "1").value();
        assertEquals(number, called.number());
        assertEquals(TicketState.CALLED, called.state());
        assertEquals(WindowState.CALLING, queue.snapshot().windows().get(0).state());
        assertEquals(TicketState.SERVING, queue.start(staff(), "1").value().state());
        TicketView done = queue.finish(staff(), "1", Finish.done()).value();
        assertEquals(TicketState.FINISHED, done.state());
        assertEquals("1", done.responsibleWindowId());

        long after = queue.snapshot().seq();
        List<Event> seen = events.awaitThrough(before, after, Duration.ofSeconds(10));
        assertEquals(List.of(QueueEvents.TICKET_ISSUED, QueueEvents.TICKET_CALLED, QueueEvents.SERVICE_STARTED,
                QueueEvents.SERVICE_FINISHED), seen.stream().map(e -> e.getProperty(QueueEvents.TYPE)).toList());
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(before + 1 + i, EventRecorder.seq(seen.get(i)), "gap-free, increasing seq");
            assertEquals(number, seen.get(i).getProperty(QueueEvents.TICKET));
            assertEquals("demo", seen.get(i).getProperty(QueueEvents.HALL));
        }
        assertEquals("org/openhall/queue/ticket/called", seen.get(1).getTopic());
        assertEquals("1", seen.get(1).getProperty(QueueEvents.WINDOW));
    }

    @Test
    void aRepeatedRequestIdReturnsTheFirstResultAndIssuesNothing() {
        Request request = kiosk();
        IssuedTicket first = queue.issueTicket(request, "B", PriorityClass.NORMAL, null).value();
        IssuedTicket again = queue.issueTicket(request, "B", PriorityClass.NORMAL, null).value();
        assertEquals(first.ticket().number(), again.ticket().number());
        List<Event> issued = events.await(QueueEvents.TICKET_ISSUED, first.ticket().number(), 1);
        assertEquals(1, issued.size());
        assertEquals(request.requestId(), issued.get(0).getProperty(QueueEvents.REQUEST_ID));

        Result<IssuedTicket> reused = queue.issueTicket(request, "C", PriorityClass.NORMAL, null);
        assertEquals(ErrorCode.REQUEST_ID_CONFLICT, reused.error().code());
    }

    @Test
    void refusalsAreTypedAndChangeNothing() {
        HallSnapshot before = queue.snapshot();
        assertEquals(ErrorCode.UNKNOWN_CATEGORY, queue.issueTicket(kiosk(), "Q", PriorityClass.NORMAL, null).error().code());
        assertEquals(ErrorCode.UNKNOWN_WINDOW, queue.callNext(staff(), "99").error().code());
        assertEquals(ErrorCode.BAD_CREDENTIALS, queue.openWindow(staff(), "4", STAFF, "0000").error().code());
        assertEquals(before.seq(), queue.snapshot().seq(), "no event for a refused operation");
    }

    @Test
    void theConsoleCommandsDriveTheQueue() throws Exception {
        String out = gogo("hall:issue C green");
        assertTrue(out.matches("(?s)C\\d{3} WAITING cat=C prio=GREEN_CHANNEL.*"), out);
        String status = gogo("hall:status");
        assertTrue(status.contains("住房公积金"), status);
        assertTrue(gogo("hall:call 99").startsWith("ERROR UNKNOWN_WINDOW"));
    }

    String gogo(String command) throws Exception {
        CommandProcessor processor = context.getService(context.getServiceReference(CommandProcessor.class));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(System.in, out, out)) {
            Object result = session.execute(command);
            assertNotNull(result, command);
            return result.toString();
        }
    }

    @Test
    void theSnapshotShowsTheDemoHall() {
        HallSnapshot s = queue.snapshot();
        assertEquals("demo", s.hallId());
        assertFalse(s.categories().isEmpty());
        assertEquals(List.of("A", "B", "C", "D"), s.categories().stream().map(c -> c.id()).toList());
        assertEquals(List.of("1", "2", "3", "4", "5"), s.windows().stream().map(w -> w.id()).toList());
    }
}
