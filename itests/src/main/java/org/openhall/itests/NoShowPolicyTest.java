package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.TicketState;
import org.openhall.api.queue.TicketView;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/** The no-show policy bundle (R11) with the real core: a ticket recalled enough becomes a no-show by itself. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class NoShowPolicyTest {

    static final String PID = "org.openhall.policy.noshow";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 30_000)
    HallQueue queue;

    @InjectService
    ConfigurationAdmin configAdmin;

    EventRecorder events;
    PolicyConfig config;

    @BeforeEach
    void setUp() throws Exception {
        events = new EventRecorder(context);
        config = new PolicyConfig(context, configAdmin, PID, EventHandler.class);
        config.apply(Map.of("recalls", "1", "graceSeconds", "5"));
    }

    @AfterEach
    void tearDown() throws Exception {
        events.close();
        if (config != null) {
            config.close();
        }
    }

    @Test
    void aTicketRecalledEnoughIsMarkedNoShowBySystem() {
        QueueCoreTest helper = new QueueCoreTest();
        helper.queue = queue;
        helper.openWindow1();
        helper.drainWindow1();
        String number = queue.issueTicket(QueueCoreTest.kiosk(), "A", PriorityClass.NORMAL, null).value().ticket()
                .number();
        assertEquals(number, queue.callNext(QueueCoreTest.staff(), "1").value().number());
        assertEquals(2, queue.recall(QueueCoreTest.staff(), "1").value().calls());

        List<Event> noShow = events.await(QueueEvents.TICKET_NOSHOW, number, 1);
        assertEquals("SYSTEM:noshow", noShow.get(0).getProperty(QueueEvents.ACTOR));
        Optional<TicketView> t = queue.ticket(number);
        assertTrue(t.isPresent());
        assertEquals(TicketState.NO_SHOW, t.get().state());
    }

    @Test
    void aTicketWhoseCitizenCameIsLeftAlone() throws Exception {
        QueueCoreTest helper = new QueueCoreTest();
        helper.queue = queue;
        helper.openWindow1();
        helper.drainWindow1();
        String number = queue.issueTicket(QueueCoreTest.kiosk(), "A", PriorityClass.NORMAL, null).value().ticket()
                .number();
        queue.callNext(QueueCoreTest.staff(), "1");
        queue.recall(QueueCoreTest.staff(), "1");
        queue.start(QueueCoreTest.staff(), "1");
        // A second ticket goes the whole way to no-show: when it has, the first one had its chance too.
        queue.finish(QueueCoreTest.staff(), "1", org.openhall.api.queue.Finish.done());
        String second = queue.issueTicket(QueueCoreTest.kiosk(), "A", PriorityClass.NORMAL, null).value().ticket()
                .number();
        queue.callNext(QueueCoreTest.staff(), "1");
        queue.recall(QueueCoreTest.staff(), "1");
        events.await(QueueEvents.TICKET_NOSHOW, second, 1);
        assertEquals(TicketState.FINISHED, queue.ticket(number).orElseThrow().state());
        assertTrue(events.all().stream().noneMatch(e -> QueueEvents.TICKET_NOSHOW.equals(e.getProperty(QueueEvents.TYPE))
                && number.equals(e.getProperty(QueueEvents.TICKET))));
    }
}
