package org.openhall.mqtt.bridge.internal.payload;

import java.lang.reflect.Array;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.openhall.api.queue.Alert;
import org.openhall.api.queue.CategoryView;
import org.openhall.api.queue.Evaluation;
import org.openhall.api.queue.HallPhase;
import org.openhall.api.queue.DayStatistics;
import org.openhall.api.queue.Figures;
import org.openhall.api.queue.HallSnapshot;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.SignInChallenge;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.TicketView;
import org.openhall.api.queue.WindowView;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Maps the queue's events, read model and statistics to the payloads of MQTT contract v1
 * ({@code docs/mqtt.md}). Only the fields the contract names are copied, so nothing else (and no
 * citizen's personal data, R16) can leak into a payload.
 */
public final class Payloads {

    /** Contract version in {@code status}. */
    public static final String CONTRACT_VERSION = "1";

    /** Default queue length above which a category raises its alert (R2). */
    public static final int DEFAULT_OVERFLOW_THRESHOLD = 10;

    /** Event properties copied as strings, in this order. */
    private static final List<String> STRING_FIELDS = List.of(QueueEvents.ACTOR, QueueEvents.REQUEST_ID,
            QueueEvents.TICKET, QueueEvents.CATEGORY, QueueEvents.FROM_CATEGORY, QueueEvents.WINDOW,
            QueueEvents.FROM_WINDOW, QueueEvents.STAFF, QueueEvents.PRIORITY, QueueEvents.OUTCOME,
            QueueEvents.REASON, QueueEvents.LEGAL_BASIS, QueueEvents.PAUSE_KIND, QueueEvents.SERVICE_ITEM,
            QueueEvents.DAY, QueueEvents.ALERT_ID, QueueEvents.ALERT_KIND, QueueEvents.TEXT, QueueEvents.PHASE,
            QueueEvents.POLICY, QueueEvents.KEY, QueueEvents.VALUE);

    private final String hallId;
    private final Announcements announcements;
    private final int overflowThreshold;

    public Payloads(String hallId, Announcements announcements, int overflowThreshold) {
        this.hallId = Objects.requireNonNull(hallId, "hallId");
        this.announcements = Objects.requireNonNull(announcements, "announcements");
        if (overflowThreshold < 0) {
            throw new IllegalArgumentException("overflow threshold must be >= 0");
        }
        this.overflowThreshold = overflowThreshold;
    }

    public String hallId() {
        return hallId;
    }

    /**
     * The payload of {@code events/{type}} for a queue event given as its Event Admin properties
     * ({@link QueueEvents} names).
     *
     * @throws IllegalArgumentException when {@code seq}, {@code type} or {@code time} is missing
     */
    public ObjectNode event(Map<String, ?> props) {
        Object seq = props.get(QueueEvents.SEQ);
        Object type = props.get(QueueEvents.TYPE);
        Object time = props.get(QueueEvents.TIME);
        if (!(seq instanceof Number) || !(type instanceof String) || !(time instanceof Number)) {
            throw new IllegalArgumentException("not a queue event: seq, type and time are required, got " + props.keySet());
        }
        ObjectNode n = Json.object();
        n.put("seq", ((Number) seq).longValue());
        n.put("type", (String) type);
        n.put("time", Json.time(Instant.ofEpochMilli(((Number) time).longValue())));
        Object hall = props.get(QueueEvents.HALL);
        n.put("hallId", hall instanceof String h ? h : hallId);
        Map<String, String> fields = new LinkedHashMap<>();
        for (String key : STRING_FIELDS) {
            Object v = props.get(key);
            if (v != null) {
                String s = v instanceof Enum<?> e ? e.name() : v.toString();
                n.put(key, s);
                fields.put(key, s);
            }
        }
        Object calls = props.get(QueueEvents.CALLS);
        if (calls instanceof Number c) {
            n.put("calls", c.intValue());
        }
        Object level = props.get(QueueEvents.LEVEL);
        if (level instanceof Number l) {
            n.put("level", l.intValue());
        }
        Object assigned = props.get(QueueEvents.CATEGORIES);
        if (assigned != null) {
            ArrayNode a = n.putArray("categories");
            strings(assigned).forEach(a::add);
        }
        List<String> missing = strings(props.get(QueueEvents.MISSING_MATERIALS));
        if (!missing.isEmpty()) {
            ArrayNode a = n.putArray("missingMaterials");
            missing.forEach(a::add);
        }
        String text = announcements.text((String) type, fields);
        if (text != null) {
            n.put("announcement", text);
        }
        return n;
    }

    /** The Event Admin topic's type ({@code ticket.called}) of an event, as its MQTT topic suffix. */
    public static String eventType(Map<String, ?> props) {
        return String.valueOf(props.get(QueueEvents.TYPE));
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(v); i++) {
                out.add(String.valueOf(Array.get(v, i)));
            }
        } else if (v instanceof Collection<?> c) {
            c.forEach(x -> out.add(String.valueOf(x)));
        } else {
            out.add(v.toString());
        }
        return out;
    }

    /** {@code events/gap}: events {@code fromSeq}…{@code toSeq} were dropped by the outbox. */
    public ObjectNode gap(long fromSeq, long toSeq, Instant time) {
        if (fromSeq < 1 || toSeq < fromSeq) {
            throw new IllegalArgumentException("bad gap " + fromSeq + ".." + toSeq);
        }
        ObjectNode n = Json.object();
        n.put("type", "gap");
        n.put("fromSeq", fromSeq);
        n.put("toSeq", toSeq);
        n.put("count", toSeq - fromSeq + 1);
        n.put("hallId", hallId);
        n.put("time", Json.time(time));
        return n;
    }

    /** The {@code hallState} of {@code status} for the core's phase. */
    public static HallOpenState openState(HallPhase phase) {
        return switch (phase == null ? HallPhase.OPEN : phase) {
            case OPEN -> HallOpenState.OPEN;
            case EXTENDED -> HallOpenState.EXTENDED;
            case CLOSED -> HallOpenState.CLOSED;
        };
    }

    /** {@code status} while the bridge runs. */
    public ObjectNode statusOnline(String hallName, String software, Instant started, HallOpenState state, Instant time) {
        ObjectNode n = Json.object();
        n.put("online", true);
        n.put("version", CONTRACT_VERSION);
        n.put("software", software);
        n.put("started", Json.time(started));
        n.put("hallId", hallId);
        n.put("hallName", hallName);
        n.put("hallState", state.wire());
        n.put("time", Json.time(time));
        return n;
    }

    /** {@code status} as the Last Will and at a clean stop. */
    public static ObjectNode statusOffline() {
        ObjectNode n = Json.object();
        n.put("online", false);
        return n;
    }

    /** {@code categories/{id}} without policy alerts. */
    public ObjectNode category(CategoryView c, long seq, Instant time) {
        return category(c, List.of(), seq, time);
    }

    /**
     * {@code categories/{id}}: {@code alert} is the oldest active alert raised for the category (by
     * a policy, e.g. the overflow policy, R2); without one, the bridge's own threshold alert.
     */
    public ObjectNode category(CategoryView c, List<Alert> alerts, long seq, Instant time) {
        ObjectNode n = Json.object();
        n.put("id", c.id());
        n.put("name", c.name());
        n.put("waiting", c.waiting());
        n.put("priorityWaiting", c.priorityWaiting());
        n.put("estimatedWaitSeconds", Math.max(-1, c.estimatedWaitSeconds()));
        n.put("lastCalled", c.lastCalled());
        n.put("openWindows", c.openWindows());
        Alert raised = alerts.stream().filter(a -> c.id().equals(a.categoryId())).findFirst().orElse(null);
        if (raised != null) {
            ObjectNode alert = n.putObject("alert");
            alert.put("code", raised.kind());
            alert.put("id", raised.id());
            alert.put("text", raised.text());
            alert.put("since", Json.time(raised.raisedAt()));
        } else if (c.waiting() > overflowThreshold) {
            ObjectNode alert = n.putObject("alert");
            alert.put("code", "QUEUE_OVERFLOW");
            alert.put("threshold", overflowThreshold);
        } else {
            n.putNull("alert");
        }
        n.put("seq", seq);
        n.put("time", Json.time(time));
        return n;
    }

    /** {@code windows/{id}}. */
    public ObjectNode window(WindowView w, long seq, Instant time) {
        ObjectNode n = windowResult(w);
        n.put("seq", seq);
        n.put("time", Json.time(time));
        return n;
    }

    /** A window in a command's result: {@code windows/{id}} without seq and time. */
    public ObjectNode windowResult(WindowView w) {
        ObjectNode n = Json.object();
        n.put("id", w.id());
        n.put("name", w.name());
        n.put("state", w.state().name());
        n.put("ticket", w.ticketNumber());
        if (w.staffId() != null) {
            ObjectNode s = n.putObject("staff");
            s.put("id", w.staffId());
            s.put("name", w.staffName());
        } else {
            n.putNull("staff");
        }
        ArrayNode cats = n.putArray("categories");
        w.categories().forEach(cats::add);
        ArrayNode assigned = n.putArray("assigned");
        w.assigned().forEach(assigned::add);
        n.put("standby", w.standby());
        if (w.pauseKind() != null) {
            ObjectNode p = n.putObject("pause");
            p.put("kind", w.pauseKind().name());
            p.put("reason", w.pauseReason());
        } else {
            n.putNull("pause");
        }
        n.put("since", Json.time(w.since()));
        return n;
    }

    /** {@code devices/{id}}. */
    public ObjectNode device(DeviceHealth d) {
        ObjectNode n = Json.object();
        n.put("id", d.id());
        n.put("type", d.type());
        if (d.window() != null) {
            n.put("window", d.window());
        }
        n.put("status", d.status().name());
        n.put("detail", d.detail());
        n.put("text", d.text());
        n.put("since", Json.time(d.since()));
        return n;
    }

    /** {@code stats/today} without copy counts. */
    public ObjectNode statsToday(DayStatistics s, Instant time) {
        return statsToday(s, Map.of(), time);
    }

    /**
     * {@code stats/today}; {@code copies} is pages per copier today (R19), always present, with
     * the total ({@code {"total":0,"copiers":{}}} in a hall without copy counters).
     */
    public ObjectNode statsToday(DayStatistics s, Map<String, Long> copies, Instant time) {
        ObjectNode n = Json.object();
        n.put("day", s.day().toString());
        n.set("hall", figures(s.hall()));
        n.set("categories", figuresMap(s.byCategory()));
        n.set("windows", figuresMap(s.byWindow()));
        n.set("staff", figuresMap(s.byStaff()));
        ObjectNode e = n.putObject("estimate");
        e.put("samples", s.estimate().samples());
        e.put("meanAbsoluteErrorSeconds", s.estimate().meanAbsoluteErrorSeconds());
        e.put("meanErrorSeconds", s.estimate().meanErrorSeconds());
        ObjectNode c = n.putObject("copies");
        ObjectNode per = Json.object();
        long total = 0;
        for (Map.Entry<String, Long> x : new TreeMap<>(copies == null ? Map.<String, Long>of() : copies).entrySet()) {
            long pages = x.getValue() == null ? 0 : Math.max(0, x.getValue());
            per.put(x.getKey(), pages);
            total += pages;
        }
        c.put("total", total);
        c.set("copiers", per);
        n.put("time", Json.time(time));
        return n;
    }

    private static ObjectNode figuresMap(Map<String, Figures> m) {
        ObjectNode n = Json.object();
        new TreeMap<>(m).forEach((k, v) -> n.set(k, figures(v)));
        return n;
    }

    private static ObjectNode figures(Figures f) {
        ObjectNode n = Json.object();
        n.put("issued", f.issued());
        n.put("served", f.served());
        n.put("noShows", f.noShows());
        n.put("transfers", f.transfers());
        n.put("averageWaitSeconds", f.averageWaitSeconds());
        n.put("p90WaitSeconds", f.p90WaitSeconds());
        n.put("averageHandlingSeconds", f.averageHandlingSeconds());
        n.put("p90HandlingSeconds", f.p90HandlingSeconds());
        n.put("overruns", f.overruns());
        n.put("rated", f.rated());
        n.put("satisfied", f.satisfied());
        n.put("satisfactionRate", f.satisfactionRate());
        return n;
    }

    /** A ticket in a command's result. */
    public ObjectNode ticket(TicketView t) {
        ObjectNode n = Json.object();
        n.put("number", t.number());
        n.put("category", t.categoryId());
        n.put("serviceItem", t.serviceItemId());
        n.put("priority", t.priority().name());
        n.put("state", t.state().name());
        n.put("issuedAt", Json.time(t.issuedAt()));
        n.put("calledAt", Json.time(t.calledAt()));
        n.put("calls", t.calls());
        n.put("startedAt", Json.time(t.startedAt()));
        n.put("finishedAt", Json.time(t.finishedAt()));
        n.put("window", t.windowId());
        n.put("responsibleWindow", t.responsibleWindowId());
        n.put("outcome", t.outcome() == null ? null : t.outcome().name());
        n.put("manual", t.manual());
        return n;
    }

    /** An issued ticket in a command's result. */
    public ObjectNode issued(IssuedTicket i) {
        ObjectNode n = Json.object();
        n.set("ticket", ticket(i.ticket()));
        n.put("peopleAhead", i.peopleAhead());
        n.put("estimatedWaitSeconds", Math.max(-1, i.estimatedWaitSeconds()));
        return n;
    }

    /** The result of an operation, whichever of the three result types it is. */
    public ObjectNode result(Object value) {
        if (value instanceof IssuedTicket i) {
            return issued(i);
        }
        if (value instanceof TicketView t) {
            return ticket(t);
        }
        if (value instanceof WindowView w) {
            return windowResult(w);
        }
        if (value instanceof Evaluation e) {
            ObjectNode n = Json.object();
            n.put("ticket", e.ticketNumber());
            n.put("window", e.windowId());
            n.put("staff", e.staffId());
            n.put("category", e.categoryId());
            n.put("serviceItem", e.serviceItemId());
            n.put("level", e.level());
            n.put("time", Json.time(e.at()));
            return n;
        }
        if (value instanceof SignInChallenge c) {
            ObjectNode n = Json.object();
            n.put("window", c.windowId());
            n.put("staffId", c.staffId());
            n.put("nonce", c.nonce());
            n.put("salt", c.salt());
            n.put("iterations", c.iterations());
            n.put("expiresAt", Json.time(c.expiresAt()));
            return n;
        }
        throw new IllegalArgumentException("no payload for " + value.getClass().getName());
    }

    /**
     * Every retained state message of a snapshot, topic suffix (below the root) to payload:
     * {@code categories/{id}} and {@code windows/{id}}, in configured order.
     */
    public Map<String, ObjectNode> state(HallSnapshot snapshot) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        for (CategoryView c : snapshot.categories()) {
            out.put("categories/" + c.id(), category(c, snapshot.alerts(), snapshot.seq(), snapshot.at()));
        }
        for (WindowView w : snapshot.windows()) {
            out.put("windows/" + w.id(), window(w, snapshot.seq(), snapshot.at()));
        }
        return out;
    }
}
