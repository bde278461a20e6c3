package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
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
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.openhall.api.queue.WindowView;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The overflow policy bundle (R2) with the real core: a long queue raises its alert and gets the
 * tidal window; a short one clears it and takes the window back, also when the queue became short
 * while the policy bundle was stopped (it looks at the hall again when it starts).
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class OverflowPolicyTest {

    static final String PID = "org.openhall.policy.overflow";
    static final String COMPONENT = "org.openhall.policy.overflow.internal.OverflowPolicy";
    static final String HELPER_STAFF = "1004";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 30_000)
    HallQueue queue;

    @InjectService
    ConfigurationAdmin configAdmin;

    QueueCoreTest helper;

    static Request helperStaff() {
        return Request.by(Actor.staff(HELPER_STAFF), UUID.randomUUID().toString());
    }

    @BeforeEach
    void setUp() throws Exception {
        helper = new QueueCoreTest();
        helper.queue = queue;
        helper.openWindow1();
        helper.drainWindow1(); // nothing waits in A now
        // Window 4 serves C; it is A's tidal window in this test.
        queue.closeWindow(helperStaff(), "4");
        Result<WindowView> opened = queue.openWindow(helperStaff(), "4", HELPER_STAFF, QueueCoreTest.DEMO_PIN);
        assertTrue(opened.isOk(), () -> "open window 4: " + opened);

        Dictionary<String, Object> props = new Hashtable<>();
        props.put("categories", "A");
        props.put("threshold.A", "2");
        props.put("clearBelow.A", "1");
        props.put("tidal.A", "4");
        props.put("text.A", "社保业务排队超过{threshold}人");
        props.put("checkSeconds", "1");
        configAdmin.getConfiguration(PID, "?").update(props);
    }

    @AfterEach
    void tearDown() throws Exception {
        // The demo hall has no overflow configuration: the policy goes away again, and with it
        // anything it could still post.
        configAdmin.getConfiguration(PID, "?").delete();
        Poll.until("the overflow policy is inactive", () -> {
            try {
                return context.getServiceReferences((String) null, "(component.name=" + COMPONENT + ")") == null;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        queue.closeWindow(helperStaff(), "4");
    }

    Optional<Alert> alert() {
        return queue.snapshot().alerts().stream().filter(a -> a.id().equals("overflow:A")).findFirst();
    }

    List<String> assigned4() {
        return queue.snapshot().windows().stream().filter(w -> w.id().equals("4")).findFirst().orElseThrow()
                .assigned();
    }

    void serveOneAtWindow1() {
        assertTrue(queue.callNext(QueueCoreTest.staff(), "1").isOk());
        assertTrue(queue.start(QueueCoreTest.staff(), "1").isOk());
        assertTrue(queue.finish(QueueCoreTest.staff(), "1", Finish.done()).isOk());
    }

    Bundle policyBundle() {
        return Stream.of(context.getBundles()).filter(b -> PID.equals(b.getSymbolicName())).findFirst().orElseThrow();
    }

    @Test
    void aLongQueueRaisesTheAlertAndGetsTheTidalWindowUntilItIsShortEvenAcrossARestart() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertTrue(queue.issueTicket(QueueCoreTest.kiosk(), "A", PriorityClass.NORMAL, null).isOk());
        }
        Alert a = Poll.until("the overflow alert of A", Poll.DEFAULT, this::alert);
        assertEquals("QUEUE_OVERFLOW", a.kind());
        assertEquals("A", a.categoryId());
        assertEquals("社保业务排队超过2人", a.text());
        Poll.until("window 4 assigned to A", () -> assigned4().equals(List.of("A")));
        String reason = queue.policyState(PID).get("tidal.A");
        assertTrue(reason != null && reason.contains("\"window\":\"4\""), () -> "stored reason: " + reason);

        serveOneAtWindow1(); // 2 wait: between the thresholds, nothing changes
        Bundle bundle = policyBundle();
        bundle.stop();
        serveOneAtWindow1();
        serveOneAtWindow1(); // 0 wait, while the policy is away
        assertTrue(alert().isPresent(), "nobody cleared it meanwhile");
        bundle.start();
        // Started again, it looks at the hall: the queue is short, the window goes back.
        Poll.until("the overflow alert of A cleared", () -> alert().isEmpty());
        Poll.until("window 4 taken back", () -> assigned4().isEmpty());
        Poll.until("the reason removed", () -> !queue.policyState(PID).containsKey("tidal.A"));
        assertEquals(List.of("C"), queue.snapshot().windows().stream().filter(w -> w.id().equals("4")).findFirst()
                .orElseThrow().categories());
    }
}
