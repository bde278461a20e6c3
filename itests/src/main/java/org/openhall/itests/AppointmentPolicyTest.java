package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.policy.IssueGate;
import org.openhall.api.queue.Appointment;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.Result;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/** The appointment policy bundle (R10) with the real core: its window around the slot replaces the core's. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class AppointmentPolicyTest {

    static final String PID = "org.openhall.policy.appointment";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 30_000)
    HallQueue queue;

    @InjectService
    ConfigurationAdmin configAdmin;

    PolicyConfig config;
    QueueCoreTest helper;

    @BeforeEach
    void setUp() throws Exception {
        config = new PolicyConfig(context, configAdmin, PID, IssueGate.class);
        helper = new QueueCoreTest();
        helper.queue = queue;
    }

    @AfterEach
    void tearDown() throws Exception {
        config.close();
        // The appointment tickets would be called first by the next test: serve them.
        helper.openWindow1();
        helper.drainWindow1();
    }

    /** Checks in a booking whose slot starts {@code startMinutes} from now and lasts 30 minutes. */
    private Result<IssuedTicket> checkIn(String code, int startMinutes) {
        Instant start = Instant.now().plus(Duration.ofMinutes(startMinutes));
        return queue.checkIn(QueueCoreTest.kiosk(), new Appointment(code, "A", start, start.plus(Duration.ofMinutes(30))));
    }

    private static String code() {
        return "BK-" + UUID.randomUUID();
    }

    @Test
    void theConfiguredToleranceAndGraceDecideWhetherACheckInIsAnAppointment() throws Exception {
        config.apply(Map.of("earlyMinutes", "60", "lateGraceMinutes", "30", "tooEarly", "normal"));
        // 40 min early: the core's 15 min would make it ordinary; the policy's 60 min keep the appointment.
        assertEquals(PriorityClass.APPOINTMENT, checkIn(code(), 40).value().ticket().priority());
        // The slot ended 20 min ago: late for the core, within the policy's 30 min of grace.
        assertEquals(PriorityClass.APPOINTMENT, checkIn(code(), -50).value().ticket().priority());
        // The slot ended 40 min ago: late, an ordinary ticket (R10).
        assertEquals(PriorityClass.NORMAL, checkIn(code(), -70).value().ticket().priority());
        // 2 hours early: an ordinary ticket.
        assertEquals(PriorityClass.NORMAL, checkIn(code(), 120).value().ticket().priority());
    }

    @Test
    void aTooEarlyCheckInCanBeRefusedAndTheBookingStaysValid() throws Exception {
        config.apply(Map.of("earlyMinutes", "5", "lateGraceMinutes", "0", "tooEarly", "refuse"));
        String code = code();
        Result<IssuedTicket> early = checkIn(code, 10);
        assertEquals(ErrorCode.REFUSED_BY_POLICY, early.error().code());
        assertTrue(early.error().message().contains(code), early.error().message());
        // The same booking with 15 min of tolerance: 10 min before its slot it is an appointment.
        config.apply(Map.of("earlyMinutes", "15", "lateGraceMinutes", "0", "tooEarly", "refuse"));
        assertEquals(PriorityClass.APPOINTMENT, checkIn(code, 10).value().ticket().priority(),
                "the refused check-in did not use up the booking");
    }
}
