package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.Alert;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.openhall.api.queue.TicketView;
import org.openhall.api.queue.WindowView;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The time limit policy bundle (R6) with the real core: a transaction past its limit raises its
 * alert, a restart of the bundle neither repeats nor loses it, and the end of the transaction
 * clears it, also when it ended while the bundle was stopped.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class TimeLimitPolicyTest {

    static final String PID = "org.openhall.policy.timelimit";
    static final String STAFF_3 = "1003";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 30_000)
    HallQueue queue;

    @InjectService
    ConfigurationAdmin configAdmin;

    EventRecorder events;
    PolicyConfig config;

    static Request staff3() {
        return Request.by(Actor.staff(STAFF_3), UUID.randomUUID().toString());
    }

    @BeforeEach
    void setUp() throws Exception {
        events = new EventRecorder(context);
        queue.closeWindow(staff3(), "3");
        Result<WindowView> opened = queue.openWindow(staff3(), "3", STAFF_3, QueueCoreTest.DEMO_PIN);
        assertTrue(opened.isOk(), () -> "open window 3: " + opened);
        config = new PolicyConfig(context, configAdmin, PID, EventHandler.class);
        config.apply(Map.of("categoryMinutes.B", "2s")); // B's tickets here have no service item
    }

    @AfterEach
    void tearDown() throws Exception {
        events.close();
        if (config != null) {
            config.close();
        }
        queue.closeWindow(staff3(), "3");
    }

    Bundle policyBundle() {
        return Stream.of(context.getBundles()).filter(b -> PID.equals(b.getSymbolicName())).findFirst().orElseThrow();
    }

    Optional<Alert> alert(String id) {
        return queue.snapshot().alerts().stream().filter(a -> a.id().equals(id)).findFirst();
    }

    @Test
    void aTransactionPastItsLimitRaisesAnAlertUntilItEnds() throws Exception {
        queue.issueTicket(QueueCoreTest.kiosk(), "B", PriorityClass.NORMAL, null).value();
        TicketView called = queue.callNext(staff3(), "3").value(); // the oldest B ticket, maybe an earlier test's
        assertTrue(queue.start(staff3(), "3").isOk());
        String id = "timelimit:3:" + called.number();

        Alert a = Poll.until("the time limit alert", Poll.DEFAULT, () -> alert(id));
        assertEquals("TIME_LIMIT", a.kind());
        assertEquals("3", a.windowId());
        assertEquals("B", a.categoryId());
        assertEquals("3号窗口办理" + called.number() + "号已超过承诺时限1分钟", a.text());

        // An update of the bundle: the transaction is found again in the hall, the alert not repeated.
        Bundle bundle = policyBundle();
        bundle.stop();
        bundle.start();
        // Finished while the policy is away: when it starts it sees the window serves nothing.
        bundle.stop();
        assertTrue(queue.finish(staff3(), "3", Finish.done()).isOk());
        assertTrue(alert(id).isPresent());
        bundle.start();
        Poll.until("the time limit alert cleared", () -> alert(id).isEmpty());
        List<Event> raised = events.all().stream()
                .filter(e -> QueueEvents.ALERT_RAISED.equals(e.getProperty(QueueEvents.TYPE))
                        && id.equals(e.getProperty(QueueEvents.ALERT_ID)))
                .toList();
        assertEquals(1, raised.size(), "raised once, not again after the restart");
        assertEquals("SYSTEM:timelimit", raised.get(0).getProperty(QueueEvents.ACTOR));
    }
}
