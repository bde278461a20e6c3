package org.openhall.mqtt.bridge.internal.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.DayStatistics;
import org.openhall.api.queue.Alert;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.HallPhase;
import org.openhall.queue.core.domain.Policies;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.HallSnapshot;
import org.openhall.api.queue.ManualCase;
import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.TicketView;
import org.openhall.api.queue.TransferTarget;
import org.openhall.queue.core.internal.engine.RealQueue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Payloads produced from the real queue core's events, read model and statistics, checked against the schemas. */
class PayloadsTest {

    static final Set<String> FORBIDDEN = Set.of("name", "citizenName", "idNumber", "idCard", "phone", "phoneNumber",
            "mobile", "credential", "pin");

    @TempDir
    Path tmp;
    RealQueue real;
    HallQueue q;
    final Payloads payloads = new Payloads(RealQueue.HALL_ID, Announcements.defaults(), 3);
    final Request kiosk = Request.by(Actor.device("kiosk-1"));
    final Request staff1 = Request.by(Actor.staff("s1"));

    @BeforeEach
    void start() throws Exception {
        real = new RealQueue(tmp);
        q = real.queue();
    }

    @AfterEach
    void stop() throws Exception {
        real.close();
    }

    void step() {
        real.clock.advance(Duration.ofSeconds(30));
    }

    /** Runs every kind of operation, so that the core produces every event type. */
    volatile HallPhase phase = HallPhase.OPEN;

    void fullDay() {
        real.policies = new Policies(null, List.of(), List.of(), (byHours, hall) -> phase);
        q.openWindow(staff1, "1", "s1", RealQueue.PIN).value();
        q.issueTicket(kiosk, "A", PriorityClass.GREEN_CHANNEL, "A01").value();
        q.issueTicket(kiosk, "A", PriorityClass.NORMAL, null).value();
        q.issueTicket(kiosk, "B", PriorityClass.NORMAL, null).value();
        step();
        assertEquals("A001", q.callNext(staff1, "1").value().number());
        q.recall(staff1, "1").value();
        q.start(staff1, "1").value();
        step();
        q.finish(staff1, "1", Finish.materialsIncomplete(List.of("身份证")).withServiceItem("A01")).value();
        TicketView second = q.callNext(staff1, "1").value();
        q.markNoShow(staff1, "1").value();
        q.reactivate(staff1, second.number()).value();
        q.callNext(staff1, "1").value();
        q.transfer(staff1, "1", new TransferTarget("B", null)).value();
        q.pause(staff1, "1", PauseKind.SUSPENDED, "系统维护").value();
        q.resume(staff1, "1").value();
        q.openWindow(Request.by(Actor.staff("s2")), "2", "s2", RealQueue.PIN).value();
        q.issueTicket(kiosk, "A", PriorityClass.NORMAL, null).value();
        q.callNext(Request.by(Actor.staff("s2")), "2").value();
        q.start(Request.by(Actor.staff("s2")), "2").value();
        q.finish(Request.by(Actor.staff("s2")), "2", Finish.done()).value();
        assertEquals(2, q.evaluate(Request.by(Actor.device("evaluator-2")), "2", 2).value().level());
        Request policy = Request.by(Actor.system("test-policy"));
        q.raiseAlert(policy, Alert.of("overflow:A", "QUEUE_OVERFLOW", "A", null, "社保排队超过10人")).value();
        q.clearAlert(policy, "overflow:A").value();
        q.putPolicyState(policy, "test-policy", "k", "v").value();
        phase = HallPhase.EXTENDED; // the phase policy below answers this
        q.closeWindow(staff1, "1").value();
        phase = HallPhase.CLOSED;
        Instant now = real.clock.instant();
        q.recordManualCase(staff1, new ManualCase("A", null, "1", "s1", now.minusSeconds(600), now.minusSeconds(300),
                now.minusSeconds(60), Finish.done())).value();
        real.clock.advance(Duration.ofDays(1));
        q.issueTicket(kiosk, "A", PriorityClass.NORMAL, null).value();
    }

    @Test
    void everyEventTypeOfTheRealCoreMapsToAValidEventPayload() {
        fullDay();
        Set<String> types = new HashSet<>();
        long expectedSeq = 1;
        for (Map<String, Object> props : real.events) {
            ObjectNode n = payloads.event(props);
            Schemas.assertValid("event.json", n);
            assertEquals(expectedSeq++, n.get("seq").longValue(), "seq copied, contiguous");
            assertEquals(props.get(QueueEvents.TYPE), n.get("type").textValue());
            assertEquals(RealQueue.HALL_ID, n.get("hallId").textValue());
            n.fieldNames().forEachRemaining(f -> assertFalse(FORBIDDEN.contains(f), "R16: " + f + " in " + n));
            types.add(n.get("type").textValue());
        }
        assertEquals(Set.of(QueueEvents.TICKET_ISSUED, QueueEvents.TICKET_CALLED, QueueEvents.TICKET_RECALLED,
                QueueEvents.SERVICE_STARTED, QueueEvents.SERVICE_FINISHED, QueueEvents.TICKET_TRANSFERRED,
                QueueEvents.TICKET_NOSHOW, QueueEvents.TICKET_REACTIVATED, QueueEvents.WINDOW_OPENED,
                QueueEvents.WINDOW_PAUSED, QueueEvents.WINDOW_RESUMED, QueueEvents.WINDOW_CLOSED,
                QueueEvents.CASE_RECORDED, QueueEvents.DAY_STARTED, QueueEvents.EVALUATION_RECORDED,
                QueueEvents.ALERT_RAISED, QueueEvents.ALERT_CLEARED, QueueEvents.POLICY_STATE, QueueEvents.HALL_OPENED, QueueEvents.HALL_EXTENDED,
                QueueEvents.HALL_CLOSED), types, "every QueueEvents type was produced and mapped");
    }

    @Test
    void callsAndRecallsCarryTheAnnouncementFromTheResourceTemplate() {
        fullDay();
        List<String> texts = new ArrayList<>();
        for (Map<String, Object> props : real.events) {
            ObjectNode n = payloads.event(props);
            String type = n.get("type").textValue();
            if (type.equals(QueueEvents.TICKET_CALLED) || type.equals(QueueEvents.TICKET_RECALLED)) {
                texts.add(n.get("announcement").textValue());
            } else {
                assertFalse(n.has("announcement"), "only calls are announced: " + n);
            }
        }
        assertEquals("请A001号到1号窗口办理", texts.get(0));
        assertEquals("请A001号到1号窗口办理", texts.get(1), "a recall repeats the text (R14)");
    }

    @Test
    void finishedEventCarriesOutcomeAndMissingMaterialsAsAnArray() {
        fullDay();
        JsonNode finished = real.events.stream().filter(p -> QueueEvents.SERVICE_FINISHED.equals(p.get(QueueEvents.TYPE)))
                .map(payloads::event).findFirst().orElseThrow();
        assertEquals("MATERIALS_INCOMPLETE", finished.get("outcome").textValue());
        assertEquals("身份证", finished.get("missingMaterials").get(0).textValue());
        assertEquals("A01", finished.get("serviceItem").textValue());
        assertTrue(finished.get("time").textValue().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
    }

    @Test
    void unknownEventPropertiesAreNotCopied() {
        ObjectNode n = payloads.event(Map.of(QueueEvents.SEQ, 7L, QueueEvents.TYPE, "ticket.issued", QueueEvents.TIME,
                0L, QueueEvents.TICKET, "A001", QueueEvents.CATEGORY, "A", QueueEvents.PRIORITY, "NORMAL",
                QueueEvents.ACTOR, "DEVICE:kiosk-1", "phone", "13800000000"));
        assertFalse(n.has("phone"), "R16: only the contract's fields are copied");
        Schemas.assertValid("event.json", n);
    }

    @Test
    void anEventWithoutSeqIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> payloads.event(Map.of(QueueEvents.TYPE, "ticket.issued", QueueEvents.TIME, 0L)));
    }

    @Test
    void aTidalAssignmentEventIsValid() {
        // The test hall's windows serve every category, so the core never assigns one here (tested in the core).
        ObjectNode n = payloads.event(Map.of(QueueEvents.SEQ, 9L, QueueEvents.TYPE, QueueEvents.WINDOW_ASSIGNED,
                QueueEvents.TIME, 0L, QueueEvents.ACTOR, "SYSTEM:overflow", QueueEvents.WINDOW, "5",
                QueueEvents.CATEGORIES, new String[] { "A" }));
        Schemas.assertValid("event.json", n);
        assertEquals("A", n.get("categories").get(0).textValue());
        Schemas.assertInvalid("event.json", n.deepCopy().without("categories"));
    }

    @Test
    void aPolicyAlertAndATidalAssignmentReachTheRetainedState() {
        q.openWindow(staff1, "1", "s1", RealQueue.PIN).value();
        Request policy = Request.by(Actor.system("overflow"));
        q.raiseAlert(policy, Alert.of("overflow:B", "QUEUE_OVERFLOW", "B", null, "不动产排队超过10人")).value();
        q.assignCategories(policy, "1", List.of("A", "B")).value(); // both are its own: nothing assigned
        Map<String, ObjectNode> state = payloads.state(q.snapshot());
        state.forEach((topic, n) -> Schemas.assertValid(topic.startsWith("categories/") ? "category.json" : "window.json", n));
        JsonNode alert = state.get("categories/B").get("alert");
        assertEquals("QUEUE_OVERFLOW", alert.get("code").textValue());
        assertEquals("overflow:B", alert.get("id").textValue());
        assertEquals("不动产排队超过10人", alert.get("text").textValue());
        assertTrue(state.get("categories/A").get("alert").isNull());
        assertEquals(0, state.get("windows/1").get("assigned").size());
        ObjectNode status = payloads.statusOnline("测试大厅", "0.1.0", Instant.EPOCH,
                Payloads.openState(q.snapshot().phase()), Instant.EPOCH);
        assertEquals("open", status.get("hallState").textValue());
        assertEquals("extended", Payloads.openState(HallPhase.EXTENDED).wire());
    }

    @Test
    void snapshotGivesValidCategoryAndWindowStateWithOverflowAlert() {
        q.openWindow(staff1, "1", "s1", RealQueue.PIN).value();
        for (int i = 0; i < 4; i++) {
            q.issueTicket(kiosk, "A", PriorityClass.NORMAL, null).value();
        }
        q.callNext(staff1, "1").value();
        q.issueTicket(kiosk, "B", PriorityClass.NORMAL, null).value();
        q.pause(Request.by(Actor.staff("s1")), "1", PauseKind.BRIEF, "请稍候").value();
        HallSnapshot snap = q.snapshot();
        Map<String, ObjectNode> state = payloads.state(snap);
        assertEquals(Set.of("categories/A", "categories/B", "windows/1", "windows/2"), state.keySet());
        state.forEach((topic, n) -> {
            Schemas.assertValid(topic.startsWith("categories/") ? "category.json" : "window.json", n);
            assertEquals(snap.seq(), n.get("seq").longValue());
        });
        ObjectNode a = state.get("categories/A");
        assertEquals(3, a.get("waiting").intValue(), "A001 was called, three wait");
        assertTrue(a.get("alert").isNull(), "3 waiting is not more than the threshold 3");
        assertEquals("A001", a.get("lastCalled").textValue());
        q.issueTicket(kiosk, "A", PriorityClass.NORMAL, null).value();
        ObjectNode a2 = payloads.state(q.snapshot()).get("categories/A");
        assertEquals("QUEUE_OVERFLOW", a2.get("alert").get("code").textValue(), "R2: more than the threshold wait");
        assertEquals(3, a2.get("alert").get("threshold").intValue());
        ObjectNode w1 = state.get("windows/1");
        assertEquals("PAUSED", w1.get("state").textValue());
        assertEquals("BRIEF", w1.get("pause").get("kind").textValue());
        assertEquals("s1", w1.get("staff").get("id").textValue());
        assertEquals("员工1", w1.get("staff").get("name").textValue(), "R12: staff name shown");
        ObjectNode w2 = state.get("windows/2");
        assertEquals("CLOSED", w2.get("state").textValue());
        assertTrue(w2.get("staff").isNull());
        assertTrue(w2.get("pause").isNull());
    }

    @Test
    void todaysStatisticsAreValid() {
        fullDay();
        LocalDate day = LocalDate.ofInstant(real.clock.instant().minus(Duration.ofDays(1)), java.time.ZoneOffset.UTC);
        DayStatistics stats = q.statistics(day).orElseThrow();
        ObjectNode n = payloads.statsToday(stats, real.clock.instant());
        Schemas.assertValid("stats-today.json", n);
        assertEquals(day.toString(), n.get("day").textValue());
        assertTrue(n.get("hall").get("issued").longValue() >= 3);
        assertTrue(n.get("categories").has("A"));
        assertEquals(0, n.get("copies").get("total").longValue(), "a hall without copy counters has an empty copies section");

        // R19: the copy service's pages per copier and in total.
        ObjectNode c = payloads.statsToday(stats, java.util.Map.of("copier2", 7L, "copier1", 35L), real.clock.instant());
        Schemas.assertValid("stats-today.json", c);
        assertEquals(42, c.get("copies").get("total").longValue());
        assertEquals(35, c.get("copies").get("copiers").get("copier1").longValue());
        assertEquals(7, c.get("copies").get("copiers").get("copier2").longValue());
    }

    @Test
    void statusDeviceAndGapPayloadsAreValid() {
        Instant t = Instant.parse("2026-11-22T08:40:01.112Z");
        ObjectNode online = payloads.statusOnline("测试大厅", "0.1.0", t, HallOpenState.EXTENDED, t);
        Schemas.assertValid("status.json", online);
        assertEquals("extended", online.get("hallState").textValue());
        assertEquals("2026-11-22T08:40:01.112Z", online.get("started").textValue());
        Schemas.assertValid("status.json", Payloads.statusOffline());
        assertEquals("{\"online\":false}", Payloads.statusOffline().toString(), "the Last Will payload");
        Schemas.assertInvalid("status.json", Json.object().put("online", true));

        ObjectNode device = payloads.device(DeviceHealth.of(new org.openhall.api.device.DeviceState("printer-1",
                org.openhall.api.device.DeviceStatus.FAULT, "PAPER_OUT", "DLE EOT 1..4 = 12 32 12 72", t), "ticket-printer",
                null));
        Schemas.assertValid("device.json", device);
        assertEquals("FAULT", device.get("status").textValue());
        assertEquals("PAPER_OUT", device.get("detail").textValue(), "a code a dashboard can switch on");
        assertEquals("缺纸", device.get("text").textValue(), "the code's text for screens, not the raw diagnostic");
        assertFalse(device.has("window"));
        ObjectNode display = payloads.device(DeviceHealth.of(new org.openhall.api.device.DeviceState("display-3",
                org.openhall.api.device.DeviceStatus.OFFLINE, "NO_ANSWER", null, t), "window-display", "3"));
        Schemas.assertValid("device.json", display);
        assertEquals("3", display.get("window").textValue());
        assertEquals("设备无响应", display.get("text").textValue());

        ObjectNode gap = payloads.gap(120, 135, t);
        Schemas.assertValid("gap.json", gap);
        assertEquals(16, gap.get("count").longValue());
        assertThrows(IllegalArgumentException.class, () -> payloads.gap(5, 4, t));
    }
}
