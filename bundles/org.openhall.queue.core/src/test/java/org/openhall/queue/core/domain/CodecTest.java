package org.openhall.queue.core.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.HallPhase;
import org.openhall.api.queue.ManualCase;
import org.openhall.api.queue.Outcome;
import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.QueueEvents;

class CodecTest {

    private static final Instant T = Instant.parse("2026-03-02T08:00:00.123456789Z");
    private static final Actor S = Actor.staff("1001");

    static List<DomainEvent> oneOfEach() {
        return List.of(
                new DomainEvent.TicketIssued(T, Actor.device("kiosk-1"), "A001", "A", "A01", PriorityClass.GREEN_CHANNEL,
                        "BOOK-1", 3, 450),
                new DomainEvent.TicketCalled(T, S, "A001", "A", PriorityClass.NORMAL, "1", "1001"),
                new DomainEvent.TicketRecalled(T, S, "A001", "A", "1", "1001", 2),
                new DomainEvent.ServiceStarted(T, S, "A001", "A", "1", "1001", null),
                new DomainEvent.ServiceFinished(T, S, "A001", "A", "1", "1001", "A01", Outcome.MATERIALS_INCOMPLETE,
                        List.of("身份证", "照片"), null, null, T.minusSeconds(60), 600L),
                new DomainEvent.TicketTransferred(T, S, "A001", "A", "1", "1001", "B", "3"),
                new DomainEvent.TicketNoShow(T, S, "A001", "A", "1", "1001", 3),
                new DomainEvent.TicketReactivated(T, Actor.device("kiosk-1"), "A001", "A", T.minusSeconds(5),
                        123456789L, 2),
                new DomainEvent.WindowOpened(T, S, "1", "1001"),
                new DomainEvent.WindowPaused(T, S, "1", "1001", PauseKind.SUSPENDED, "系统维护", "A002"),
                new DomainEvent.WindowResumed(T, S, "1", "1001"),
                new DomainEvent.WindowClosed(T, S, "1", "1001"),
                new DomainEvent.CaseRecorded(T, S, "A003", "A", null, "1", "1001", T.minusSeconds(900),
                        T.minusSeconds(300), T, Outcome.REFUSED, List.of(), "不符合条件", "条例第5条", null),
                new DomainEvent.DayStarted(T, Actor.system("rollover"), LocalDate.of(2026, 3, 3),
                        LocalDate.of(2026, 3, 2), List.of("A004", "B001"), LocalDate.of(2025, 12, 3)),
                new DomainEvent.EvaluationRecorded(T, Actor.device("evaluator-1"), "A001", "A", "A01", "1", "1001", 2),
                new DomainEvent.AlertRaised(T, Actor.system("overflow"), "overflow:A", "QUEUE_OVERFLOW", "A", null,
                        "社保医保排队超过10人"),
                new DomainEvent.AlertCleared(T, Actor.system("overflow"), "overflow:A", "QUEUE_OVERFLOW", "A", null),
                new DomainEvent.WindowAssigned(T, Actor.system("overflow"), "9", List.of("A", "B")),
                new DomainEvent.PolicyStateChanged(T, Actor.system("followup"), "org.openhall.policy.followup",
                        "FU-1", "{\"deadline\":\"2026-03-05\"}"),
                new DomainEvent.HallPhaseChanged(T, Actor.system("phase"), HallPhase.OPEN),
                new DomainEvent.HallPhaseChanged(T, Actor.system("phase"), HallPhase.EXTENDED),
                new DomainEvent.HallPhaseChanged(T, Actor.system("phase"), HallPhase.CLOSED));
    }

    @Test
    void everyEventTypeRoundTrips() {
        Set<String> types = new HashSet<>();
        for (DomainEvent e : oneOfEach()) {
            byte[] json = EventCodec.encode(e);
            DomainEvent back = EventCodec.decode(EventCodec.type(e), json);
            assertEquals(e, back);
            assertArrayEquals(json, EventCodec.encode(back));
            types.add(e.type());
        }
        assertEquals(EventCodec.types(), types);
        assertEquals(Set.of(QueueEvents.TICKET_ISSUED, QueueEvents.TICKET_CALLED, QueueEvents.TICKET_RECALLED,
                QueueEvents.SERVICE_STARTED, QueueEvents.SERVICE_FINISHED, QueueEvents.TICKET_TRANSFERRED,
                QueueEvents.TICKET_NOSHOW, QueueEvents.TICKET_REACTIVATED, QueueEvents.WINDOW_OPENED,
                QueueEvents.WINDOW_PAUSED, QueueEvents.WINDOW_RESUMED, QueueEvents.WINDOW_CLOSED,
                QueueEvents.CASE_RECORDED, QueueEvents.DAY_STARTED, QueueEvents.EVALUATION_RECORDED,
                QueueEvents.ALERT_RAISED, QueueEvents.ALERT_CLEARED, QueueEvents.WINDOW_ASSIGNED,
                QueueEvents.POLICY_STATE, QueueEvents.HALL_OPENED, QueueEvents.HALL_EXTENDED,
                QueueEvents.HALL_CLOSED), types);
    }

    @Test
    void fieldNamesAreStable() {
        String json = new String(EventCodec.encode(oneOfEach().get(1)), StandardCharsets.UTF_8);
        assertEquals("{\"actor\":{\"id\":\"1001\",\"kind\":\"STAFF\"},\"at\":\"2026-03-02T08:00:00.123456789Z\","
                + "\"categoryId\":\"A\",\"number\":\"A001\",\"priority\":\"NORMAL\",\"staffId\":\"1001\","
                + "\"windowId\":\"1\"}", json);
    }

    @Test
    void readingToleratesUnknownFieldsAndMissingOptionalOnes() {
        String json = "{\"at\":\"2026-03-02T08:00:00Z\",\"actor\":{\"kind\":\"STAFF\",\"id\":\"1001\"},"
                + "\"windowId\":\"1\",\"staffId\":\"1001\",\"addedInVersion2\":{\"x\":[1,2]}}";
        DomainEvent e = EventCodec.decode(QueueEvents.WINDOW_OPENED, json.getBytes(StandardCharsets.UTF_8));
        assertEquals(new DomainEvent.WindowOpened(Instant.parse("2026-03-02T08:00:00Z"), S, "1", "1001"), e);
        String finished = "{\"at\":\"2026-03-02T08:00:00Z\",\"actor\":{\"kind\":\"STAFF\",\"id\":\"1001\"},"
                + "\"number\":\"A001\",\"windowId\":\"1\",\"outcome\":\"DONE\",\"startedAt\":\"2026-03-02T07:59:00Z\"}";
        DomainEvent.ServiceFinished f = (DomainEvent.ServiceFinished) EventCodec.decode(QueueEvents.SERVICE_FINISHED,
                finished.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(), f.missingMaterials());
        assertNull(f.timeLimitSeconds());
    }

    @Test
    void badInputIsAnIllegalArgument() {
        byte[] ok = EventCodec.encode(oneOfEach().get(8));
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode("ticket.unknown", ok));
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(null, ok));
        assertThrows(IllegalArgumentException.class,
                () -> EventCodec.decode(QueueEvents.WINDOW_OPENED, "{\"windowId\":\"1\"}".getBytes()));
        assertThrows(IllegalArgumentException.class,
                () -> EventCodec.decode(QueueEvents.WINDOW_OPENED, "not json".getBytes()));
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(QueueEvents.WINDOW_OPENED,
                "{\"at\":\"yesterday\",\"actor\":{\"kind\":\"STAFF\",\"id\":\"1\"},\"windowId\":\"1\",\"staffId\":\"1\"}"
                        .getBytes()));
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(QueueEvents.WINDOW_OPENED, "null".getBytes()));
    }

    @Test
    void typeNamesInTheDataChooseNoClass() {
        // A "@class" or "type" field is just an unknown field: the type comes from the journal column.
        String json = "{\"@class\":\"java.lang.ProcessBuilder\",\"type\":\"window.closed\","
                + "\"at\":\"2026-03-02T08:00:00Z\",\"actor\":{\"kind\":\"STAFF\",\"id\":\"1001\"},\"windowId\":\"1\","
                + "\"staffId\":\"1001\"}";
        DomainEvent e = EventCodec.decode(QueueEvents.WINDOW_OPENED, json.getBytes(StandardCharsets.UTF_8));
        assertTrue(e instanceof DomainEvent.WindowOpened);
    }

    @Test
    void eventAdminPropertiesUseQueueEventsNames() {
        DomainEvent.ServiceFinished f = (DomainEvent.ServiceFinished) oneOfEach().get(4);
        Map<String, Object> p = f.properties();
        assertEquals(QueueEvents.SERVICE_FINISHED, p.get(QueueEvents.TYPE));
        assertEquals(T.toEpochMilli(), p.get(QueueEvents.TIME));
        assertEquals("STAFF:1001", p.get(QueueEvents.ACTOR));
        assertEquals("A001", p.get(QueueEvents.TICKET));
        assertEquals("MATERIALS_INCOMPLETE", p.get(QueueEvents.OUTCOME));
        assertArrayEquals(new String[] {"身份证", "照片"}, (String[]) p.get(QueueEvents.MISSING_MATERIALS));
        assertFalse(p.containsKey(QueueEvents.REASON));
        assertFalse(p.containsKey(QueueEvents.SEQ));
        Map<String, Object> t = oneOfEach().get(5).properties();
        assertEquals("B", t.get(QueueEvents.CATEGORY));
        assertEquals("A", t.get(QueueEvents.FROM_CATEGORY));
        assertEquals("3", t.get(QueueEvents.WINDOW));
        assertEquals("1", t.get(QueueEvents.FROM_WINDOW));
        assertEquals(1, oneOfEach().get(1).properties().get(QueueEvents.CALLS));
        assertEquals(2, oneOfEach().get(2).properties().get(QueueEvents.CALLS));
        assertEquals("2026-03-03", oneOfEach().get(13).properties().get(QueueEvents.DAY));
        assertEquals("SUSPENDED", oneOfEach().get(9).properties().get(QueueEvents.PAUSE_KIND));
    }

    @Test
    void stateRoundTripsByteForByte() {
        TestHall h = new TestHall();
        h.open("1");
        h.open("2");
        h.issue("A");
        h.issue("A", PriorityClass.GREEN_CHANNEL);
        h.issueItem("A", "A01");
        h.advanceSeconds(30);
        h.serve("1", 200);
        h.call("2");
        h.noShow("2");
        h.call("2");
        h.start("2");
        h.manual(new ManualCase("A", null, "1", "1001", h.now.minusSeconds(600), h.now.minusSeconds(300),
                h.now.minusSeconds(10), Finish.done()));
        h.startDay(TestHall.DAY.plusDays(1));
        h.issue("B");
        byte[] json = StateCodec.encode(h.state);
        HallState back = StateCodec.decode(json, h.state.config());
        assertArrayEquals(json, StateCodec.encode(back));
        assertEquals(h.state.snapshot(7, h.now), back.snapshot(7, h.now));
        assertEquals(h.state.statistics(TestHall.DAY), back.statistics(TestHall.DAY));
        assertEquals(h.state.statistics(TestHall.DAY.plusDays(1)), back.statistics(TestHall.DAY.plusDays(1)));
    }

    @Test
    void stateFormatIsChecked() {
        assertThrows(IllegalArgumentException.class,
                () -> StateCodec.decode("{\"format\":99,\"day\":\"2026-03-02\"}".getBytes(), TestHall.config(QueueSettings.DEFAULTS)));
        assertThrows(IllegalArgumentException.class,
                () -> StateCodec.decode("[1,2]".getBytes(), TestHall.config(QueueSettings.DEFAULTS)));
        assertThrows(IllegalArgumentException.class,
                () -> StateCodec.decode("{\"format\":1}".getBytes(), TestHall.config(QueueSettings.DEFAULTS)));
    }

    @Test
    void noCitizenDataInTheModel() {
        // R16: no field of an event or of the state is named like a citizen's identity.
        Set<String> forbidden = Set.of("name", "idnumber", "idcard", "phone", "mobile", "citizen");
        List<Class<?>> classes = new java.util.ArrayList<>(List.of(Ticket.class, WindowSlot.class,
                FiguresAccumulator.class, DayAccumulator.class));
        for (Class<?> c : DomainEvent.class.getPermittedSubclasses()) {
            classes.add(c);
        }
        for (Class<?> c : classes) {
            for (Field f : c.getDeclaredFields()) {
                String n = f.getName().toLowerCase();
                for (String bad : forbidden) {
                    assertFalse(n.contains(bad), c.getSimpleName() + "." + f.getName());
                }
            }
        }
    }
}
