package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.Alert;
import org.openhall.api.queue.Evaluation;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.Request;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.EventHandler;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The follow-up policy bundle (R7, R15) with the real core: a bad rating opens a follow-up kept
 * in the journal; an overdue one raises its alert; complaints and closing go through its console
 * commands.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class FollowUpPolicyTest {

    static final String PID = "org.openhall.policy.followup";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 30_000)
    HallQueue queue;

    @InjectService
    ConfigurationAdmin configAdmin;

    PolicyConfig config;

    @BeforeEach
    void setUp() throws Exception {
        config = new PolicyConfig(context, configAdmin, PID, EventHandler.class);
        config.apply(Map.of("checkSeconds", "1"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (config != null) {
            config.close();
        }
    }

    /** Runs a console command of the policy (scope followup) as Gogo would. */
    String command(String function, Object... args) throws Exception {
        return Poll.until("the followup commands", Poll.DEFAULT, () -> {
            try {
                ServiceReference<?>[] refs = context.getServiceReferences((String) null, "(osgi.command.scope=followup)");
                if (refs == null) {
                    return Optional.empty();
                }
                Object commands = context.getService(refs[0]);
                try {
                    for (Method m : commands.getClass().getMethods()) {
                        if (m.getName().equals(function) && m.getParameterCount() == args.length) {
                            return Optional.of((String) m.invoke(commands, args));
                        }
                    }
                    throw new AssertionError("no command " + function);
                } finally {
                    context.ungetService(refs[0]);
                }
            } catch (AssertionError e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    Optional<Alert> alert(String id) {
        return queue.snapshot().alerts().stream().filter(a -> a.id().equals(id)).findFirst();
    }

    @Test
    void aBadRatingOpensAFollowUpAndOneMadeWhileTheBundleWasStoppedIsNotLost() throws Exception {
        QueueCoreTest helper = new QueueCoreTest();
        helper.queue = queue;
        helper.openWindow1();
        helper.drainWindow1();
        String number = queue.issueTicket(QueueCoreTest.kiosk(), "A", PriorityClass.NORMAL, null).value().ticket()
                .number();
        assertEquals(number, queue.callNext(QueueCoreTest.staff(), "1").value().number());
        queue.start(QueueCoreTest.staff(), "1").value();
        queue.finish(QueueCoreTest.staff(), "1", Finish.done()).value();
        Evaluation e = queue.evaluate(Request.by(Actor.device("evaluator-1")), "1", 1).value();
        assertTrue(e.isBad());

        Map.Entry<String, String> followUp = Poll.until("the follow-up of " + number, Poll.DEFAULT,
                () -> queue.policyState(PID).entrySet().stream()
                        .filter(x -> x.getKey().startsWith("R") && x.getKey().endsWith("-" + number + "-1")).findFirst());
        String json = followUp.getValue();
        assertTrue(json.contains("\"kind\":\"RATING\"") && json.contains("\"level\":1")
                && json.contains("\"staff\":\"" + QueueCoreTest.STAFF + "\""), json);

        Poll.until("the mark of the last rating handled", () -> queue.policyState(PID).containsKey("_seen"));

        // A bad rating while the bundle is stopped (an update): read from the core's history at start.
        Bundle bundle = Stream.of(context.getBundles()).filter(b -> PID.equals(b.getSymbolicName())).findFirst()
                .orElseThrow();
        bundle.stop();
        String missed = queue.issueTicket(QueueCoreTest.kiosk(), "A", PriorityClass.NORMAL, null).value().ticket()
                .number();
        assertEquals(missed, queue.callNext(QueueCoreTest.staff(), "1").value().number());
        queue.start(QueueCoreTest.staff(), "1").value();
        queue.finish(QueueCoreTest.staff(), "1", Finish.done()).value();
        queue.evaluate(Request.by(Actor.device("evaluator-1")), "1", 2).value();
        bundle.start();
        String missedId = Poll.until("the follow-up of " + missed + ", rated while the policy was stopped",
                Poll.DEFAULT, () -> queue.policyState(PID).keySet().stream()
                        .filter(k -> k.startsWith("R") && k.endsWith("-" + missed + "-1")).findFirst());

        String listed = command("list");
        assertTrue(listed.contains(followUp.getKey()) && listed.contains(missedId), listed);
        assertTrue(command("close", followUp.getKey()).contains("closed"));
        assertTrue(command("close", missedId).contains("closed"));
        assertTrue(!queue.policyState(PID).containsKey(followUp.getKey()));
    }

    @Test
    void anOverdueFollowUpRaisesItsAlertUntilItIsClosed() throws Exception {
        // A follow-up opened days ago (as the journal has it after a restart), due yesterday.
        Instant opened = Instant.now().minusSeconds(5 * 86_400);
        String id = "R20200101-A999-9";
        String json = "{\"kind\":\"RATING\",\"window\":\"2\",\"staff\":\"1002\",\"ticket\":\"A999\",\"category\":\"A\","
                + "\"level\":2,\"openedAt\":\"" + opened + "\",\"deadline\":\"" + Instant.now().minusSeconds(86_400)
                + "\",\"due\":\"" + LocalDate.now().minusDays(2) + "\"}";
        assertTrue(queue.putPolicyState(Request.by(Actor.system("itest")), PID, id, json).value());

        Alert a = Poll.until("the overdue alert", Poll.DEFAULT, () -> alert("followup:" + id));
        assertEquals("FOLLOWUP_OVERDUE", a.kind());
        assertEquals("2", a.windowId());
        assertTrue(a.text().startsWith("2号窗口差评回访" + id), a.text());
        assertTrue(command("list").contains("OVERDUE"));

        assertEquals("Follow-up " + id + " closed", command("close", id));
        Poll.until("the overdue alert cleared", () -> alert("followup:" + id).isEmpty());
        assertTrue(!queue.policyState(PID).containsKey(id));
        assertTrue(command("close", id).startsWith("ERROR NOT_FOUND"));
    }

    @Test
    void aComplaintIsRegisteredAtTheConsoleWithoutPersonalData() throws Exception {
        String answer = command("complaint", "3", "1003", "B001", new String[] { "窗口人员态度生硬" });
        assertTrue(answer.startsWith("Complaint C"), answer);
        String id = answer.substring("Complaint ".length(), answer.indexOf(' ', "Complaint ".length()));
        String stored = queue.policyState(PID).get(id);
        assertTrue(stored != null && stored.contains("\"kind\":\"COMPLAINT\"") && stored.contains("窗口人员态度生硬"),
                () -> "stored: " + stored);
        assertTrue(command("complaint", "3", "1003", "B001", new String[] { "请回电", "13812345678" })
                .startsWith("ERROR INVALID_ARGUMENT"), "a phone number is never stored (R16)");
        assertEquals("Follow-up " + id + " closed", command("close", id));
    }
}
