package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.policy.PhasePolicy;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.HallPhase;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.openhall.api.queue.WindowState;
import org.openhall.api.queue.WindowView;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The closing policy bundle (R3, R13) with the real core and the real clock: the demo hall (open
 * around the clock) is given hours that close ten minutes from now for the test, so that it is past
 * the 30-minute cut-off; its own configuration is restored afterwards.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class ClosingPolicyTest {

    static final String PID = "org.openhall.policy.closing";
    static final String HALL_PID = "org.openhall.hall";
    static final Request SYSTEM = Request.by(Actor.system("itest"));

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 30_000)
    HallQueue queue;

    @InjectService
    ConfigurationAdmin configAdmin;

    EventRecorder events;
    PolicyConfig config;
    Dictionary<String, Object> demoHall;
    QueueCoreTest helper;

    @BeforeEach
    void setUp() throws Exception {
        events = new EventRecorder(context);
        config = new PolicyConfig(context, configAdmin, PID, PhasePolicy.class);
        demoHall = configAdmin.getConfiguration(HALL_PID, "?").getProperties();
        helper = new QueueCoreTest();
        helper.queue = queue;
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            configAdmin.getConfiguration(HALL_PID, "?").update(demoHall);
            config.close();
            // Back to the demo hall: open around the clock. An operation brings the phase in line.
            Poll.until("the demo hall open again", () -> issue().isOk() && queue.snapshot().phase() == HallPhase.OPEN);
            helper.openWindow1();
            helper.drainWindow1();
        } finally {
            events.close();
        }
    }

    @Test
    void pastTheCutOffIssuingStopsWindowsStayAndTheHallIsExtendedUntilTheLastTicketIsServed() throws Exception {
        config.apply(Map.of("cutoffMinutes", "30", "kioskText", "今日取号已截止"));
        helper.drainAll(); // the hall closes only when nothing waits anywhere
        helper.openWindow1();
        helper.drainWindow1();
        // Window 1 alone serves A: the others that could are closed (they have no ticket after the drain).
        for (WindowView w : queue.snapshot().windows()) {
            if (!w.id().equals("1") && w.categories().contains("A") && w.state() != WindowState.CLOSED) {
                Result<WindowView> closed = queue.closeWindow(SYSTEM, w.id());
                assertTrue(closed.isOk(), () -> "close window " + w.id() + ": " + closed);
            }
        }
        List<String> waiting = new ArrayList<>();
        waiting.add(issue().value().ticket().number());
        waiting.add(issue().value().ticket().number());

        // The hall closes in ten minutes: the 30-minute cut-off has passed.
        closingInTenMinutes();
        Result<IssuedTicket> refused = Poll.until("issuing refused after the cut-off", Poll.DEFAULT, () -> {
            Result<IssuedTicket> r = issue();
            if (r.isOk()) {
                waiting.add(r.value().ticket().number()); // the hours were not in force yet
                return Optional.empty();
            }
            return Optional.of(r);
        });
        assertEquals(ErrorCode.HALL_CLOSED, refused.error().code());
        assertTrue(refused.error().message().startsWith("今日取号已截止"), refused.error().message());

        // The next operation finds the hall extended (R3).
        String first = queue.callNext(QueueCoreTest.staff(), "1").value().number();
        assertEquals(waiting.get(0), first);
        Event extended = events.await(QueueEvents.HALL_EXTENDED, null, 1).get(0);
        assertEquals("org/openhall/queue/hall/extended", extended.getTopic());
        assertEquals(HallPhase.EXTENDED, queue.snapshot().phase());
        queue.start(QueueCoreTest.staff(), "1").value();
        queue.finish(QueueCoreTest.staff(), "1", Finish.done()).value();

        // Window 1 may not close while tickets issued before the cut-off wait for it alone.
        Result<WindowView> close = queue.closeWindow(QueueCoreTest.staff(), "1");
        assertEquals(ErrorCode.REFUSED_BY_POLICY, close.error().code());
        assertTrue(close.error().message().contains("cannot close"), close.error().message());

        // Serve the rest: still extended while the last is at the window, closed when it is served.
        for (int i = 1; i < waiting.size(); i++) {
            assertEquals(waiting.get(i), queue.callNext(QueueCoreTest.staff(), "1").value().number());
            queue.start(QueueCoreTest.staff(), "1").value();
            assertEquals(HallPhase.EXTENDED, queue.snapshot().phase());
            queue.finish(QueueCoreTest.staff(), "1", Finish.done()).value();
        }
        Event closed = events.await(QueueEvents.HALL_CLOSED, null, 1).get(0);
        assertEquals("org/openhall/queue/hall/closed", closed.getTopic());
        assertEquals(HallPhase.CLOSED, queue.snapshot().phase());
        assertTrue(EventRecorder.seq(extended) < EventRecorder.seq(closed));
        // Nothing left: window 1 may close now.
        assertTrue(queue.closeWindow(QueueCoreTest.staff(), "1").isOk());
    }

    private Result<IssuedTicket> issue() {
        return queue.issueTicket(QueueCoreTest.kiosk(), "A", PriorityClass.NORMAL, null);
    }

    /** Every weekday open from an hour ago until ten minutes from now (past midnight if need be). */
    private void closingInTenMinutes() throws Exception {
        ZoneId zone = ZoneId.of(String.valueOf(demoHall.get("hall.zone")));
        ZonedDateTime now = ZonedDateTime.now(zone).truncatedTo(ChronoUnit.MINUTES);
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
        LocalTime open = now.minus(Duration.ofHours(1)).toLocalTime();
        LocalTime close = now.plus(Duration.ofMinutes(10)).toLocalTime();
        Hashtable<String, Object> hall = new Hashtable<>();
        for (Enumeration<String> keys = demoHall.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            hall.put(k, demoHall.get(k));
        }
        for (DayOfWeek d : DayOfWeek.values()) {
            hall.put("hours." + d.name().toLowerCase(Locale.ROOT), hhmm.format(open) + "-" + hhmm.format(close));
        }
        hall.put("holidays", "");
        configAdmin.getConfiguration(HALL_PID, "?").update(hall);
    }
}
