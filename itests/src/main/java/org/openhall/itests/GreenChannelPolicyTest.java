package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.policy.CallingPolicy;
import org.openhall.api.queue.CategoryView;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.Result;
import org.openhall.api.queue.IssuedTicket;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/** The green channel policy bundle (R1) with the real core: its calling order and its issue gate decide. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class GreenChannelPolicyTest {

    static final String PID = "org.openhall.policy.greenchannel";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 30_000)
    HallQueue queue;

    @InjectService
    ConfigurationAdmin configAdmin;

    EventRecorder events;
    PolicyConfig config;
    QueueCoreTest helper;

    @BeforeEach
    void setUp() throws Exception {
        events = new EventRecorder(context);
        config = new PolicyConfig(context, configAdmin, PID, CallingPolicy.class);
        helper = new QueueCoreTest();
        helper.queue = queue;
        helper.openWindow1();
        helper.drainWindow1();
    }

    @AfterEach
    void tearDown() throws Exception {
        events.close();
        config.close();
        helper.drainWindow1();
    }

    private String issue(PriorityClass p) {
        return queue.issueTicket(QueueCoreTest.kiosk(), "A", p, null).value().ticket().number();
    }

    private String callAndServe() {
        String number = queue.callNext(QueueCoreTest.staff(), "1").value().number();
        queue.start(QueueCoreTest.staff(), "1").value();
        queue.finish(QueueCoreTest.staff(), "1", org.openhall.api.queue.Finish.done()).value();
        return number;
    }

    @Test
    void withPriorityCallingOffAnOrdinaryWindowCallsInTimeOrderAndADedicatedOneCallsGreenFirst() throws Exception {
        // No fairness bound, so that what other tests called before cannot change the order.
        config.apply(Map.of("priorityCalling", "false",
                "maxConsecutivePriorityCalls", "0", "maxNormalWaitMinutes", "0"));
        String normal = issue(PriorityClass.NORMAL);
        String green = issue(PriorityClass.GREEN_CHANNEL);
        // The core's default would call the green ticket first; the policy keeps time order.
        assertEquals(normal, callAndServe());
        assertEquals(green, callAndServe());

        config.apply(Map.of("priorityCalling", "false", "dedicatedWindows", "1",
                "maxConsecutivePriorityCalls", "0", "maxNormalWaitMinutes", "0"));
        String normal2 = issue(PriorityClass.NORMAL);
        String green2 = issue(PriorityClass.GREEN_CHANNEL);
        assertEquals(green2, callAndServe(), "window 1 is a dedicated window (专窗)");
        assertEquals(normal2, callAndServe(), "with no green ticket left it serves the others");
    }

    @Test
    void theFairnessBoundLetsANormalTicketThroughAfterKPriorityCalls() throws Exception {
        config.apply(Map.of("maxConsecutivePriorityCalls", "2", "maxNormalWaitMinutes", "0"));
        String normal = issue(PriorityClass.NORMAL);
        String g1 = issue(PriorityClass.GREEN_CHANNEL);
        String g2 = issue(PriorityClass.GREEN_CHANNEL);
        String g3 = issue(PriorityClass.GREEN_CHANNEL);
        // Other windows may have called priority tickets just before: the bound may come earlier, never later.
        List<String> order = List.of(callAndServe(), callAndServe(), callAndServe(), callAndServe());
        assertTrue(order.indexOf(normal) <= 2, () -> "normal ticket after at most 2 priority calls: " + order);
        assertEquals(List.of(g1, g2, g3), order.stream().filter(n -> !n.equals(normal)).toList());
    }

    @Test
    void aClassTheHallDoesNotOfferIsIssuedAsNormalOrRefusedAndTheMarkIsShown() throws Exception {
        // The priority mark: every ticket event and the screens' snapshot carry the class (R1).
        String green = issue(PriorityClass.GREEN_CHANNEL);
        Event issued = events.await(QueueEvents.TICKET_ISSUED, green, 1).get(0);
        assertEquals("GREEN_CHANNEL", issued.getProperty(QueueEvents.PRIORITY));
        CategoryView a = queue.snapshot().categories().stream().filter(c -> c.id().equals("A")).findFirst()
                .orElseThrow();
        assertTrue(a.priorityWaiting() >= 1);
        assertEquals(PriorityClass.GREEN_CHANNEL, queue.ticket(green).orElseThrow().priority());
        helper.drainWindow1();

        config.apply(Map.of("offeredClasses", "APPOINTMENT", "notOffered", "downgrade"));
        String downgraded = issue(PriorityClass.GREEN_CHANNEL);
        assertEquals(PriorityClass.NORMAL, queue.ticket(downgraded).orElseThrow().priority());
        assertEquals("NORMAL", events.await(QueueEvents.TICKET_ISSUED, downgraded, 1).get(0)
                .getProperty(QueueEvents.PRIORITY));

        config.apply(Map.of("offeredClasses", "none", "notOffered", "refuse"));
        Result<IssuedTicket> refused = queue.issueTicket(QueueCoreTest.kiosk(), "A", PriorityClass.GREEN_CHANNEL, null);
        assertEquals(ErrorCode.REFUSED_BY_POLICY, refused.error().code());
        assertTrue(queue.issueTicket(QueueCoreTest.kiosk(), "A", PriorityClass.NORMAL, null).isOk());
    }
}
