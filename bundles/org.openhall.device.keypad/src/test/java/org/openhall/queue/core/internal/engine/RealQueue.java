package org.openhall.queue.core.internal.engine;

import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.openhall.api.config.Credentials;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.QueueHistory;
import org.openhall.journal.Journal;
import org.openhall.journal.JournalOptions;
import org.openhall.journal.StoredEntry;
import org.openhall.queue.core.domain.CategoryConfig;
import org.openhall.queue.core.domain.DomainEvent;
import org.openhall.queue.core.domain.EventCodec;
import org.openhall.queue.core.domain.HallConfig;
import org.openhall.queue.core.domain.OpeningHours;
import org.openhall.queue.core.domain.Policies;
import org.openhall.queue.core.domain.QueueSettings;
import org.openhall.queue.core.domain.ServiceItemConfig;
import org.openhall.queue.core.domain.StaffConfig;
import org.openhall.queue.core.domain.WindowConfig;

/**
 * The real queue core for the device drivers' tests (a copy of the MQTT bridge's): the engine on a real journal file, behind the real
 * {@link HallQueueService}, with the Event Admin properties of every committed event built exactly
 * as the core's {@code QueueCore} posts them. Lives in the engine's package only to set the
 * service's engine reference, which Declarative Services sets at run time.
 *
 * <p>The hall "test" (测试大厅): categories A 社保 (item A01 with checklist 身份证) and B 不动产;
 * windows 1 and 2 serving A and B; staff s1 (员工1) and s2 (员工2), PIN {@value #PIN}; open around
 * the clock in UTC.
 */
public final class RealQueue implements AutoCloseable {

    public static final String HALL_ID = "test";
    public static final String PIN = "1234";
    private static final String PIN_HASH = Credentials.hash(PIN);

    /** A clock the test moves by hand (the only stand-in the tests use). */
    public static final class ManualClock extends Clock {
        private volatile Instant now;

        public ManualClock(Instant start) {
            this.now = start;
        }

        public void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    public final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T01:30:00Z"));
    /** Event Admin properties of every committed event, in seq order. */
    public final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
    /** Called with every committed event's properties, on the journal's writer thread. */
    private final List<Consumer<Map<String, Object>>> listeners = new CopyOnWriteArrayList<>();
    private final Journal journal;
    private final QueueEngine engine;
    private final HallQueueService service = new HallQueueService();
    /** The policies the core asks (gates, phase …); none by default. */
    public volatile Policies policies = Policies.NONE;

    public RealQueue(Path dir) throws Exception {
        journal = Journal.open(dir.resolve("journal.db"), JournalOptions.defaults().withOnCommitted(this::publish));
        engine = QueueEngine.open(journal, hall(), clock, () -> policies);
        service.engine = engine;
    }

    public HallQueue queue() {
        return service;
    }

    public long seq() {
        return engine.seq();
    }

    /** {@code listener} gets every event committed from now on (on the journal's writer thread). */
    public void listen(Consumer<Map<String, Object>> listener) {
        listeners.add(listener);
    }

    /** Rolls the business day over if the clock passed midnight: a snapshot, then retention prunes the journal. */
    public void tick() {
        engine.tick();
    }

    /** The queue's history on the journal, as the core's {@code QueueCore} registers it. */
    public QueueHistory history() {
        return new QueueHistory() {
            @Override
            public List<QueuedEvent> eventsAfter(long afterSeq, int max) {
                List<QueuedEvent> out = new ArrayList<>();
                try {
                    journal.replay(afterSeq, max, e -> out.add(new QueuedEvent(e.seq(), e.type(), properties(e))));
                } catch (org.openhall.journal.JournalException e) {
                    return List.of();
                }
                return out;
            }

            @Override
            public long lastSeq() {
                return journal.lastSeq();
            }
        };
    }

    private void publish(List<StoredEntry> committed) {
        for (StoredEntry entry : committed) {
            Map<String, Object> props = properties(entry);
            events.add(props);
            listeners.forEach(l -> l.accept(props));
        }
    }

    private static Map<String, Object> properties(StoredEntry entry) {
        DomainEvent event = EventCodec.decode(entry.type(), entry.payload());
        Map<String, Object> props = new HashMap<>(event.properties());
        props.put(QueueEvents.SEQ, entry.seq());
        props.put(QueueEvents.TYPE, entry.type());
        props.put(QueueEvents.TIME, entry.timeMillis());
        props.put(QueueEvents.HALL, HALL_ID);
        if (entry.requestId() != null) {
            props.put(QueueEvents.REQUEST_ID, entry.requestId());
        }
        return props;
    }

    private static HallConfig hall() {
        Map<DayOfWeek, List<OpeningHours>> hours = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            hours.put(d, List.of(new OpeningHours(LocalTime.MIN, LocalTime.MAX)));
        }
        List<WindowConfig> windows = new ArrayList<>();
        List<StaffConfig> staff = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            windows.add(new WindowConfig(String.valueOf(i), i + "号窗口", List.of("A", "B"), false));
            staff.add(new StaffConfig("s" + i, "员工" + i, PIN_HASH));
        }
        return new HallConfig(HALL_ID, "测试大厅", ZoneOffset.UTC, hours, Set.of(),
                List.of(new CategoryConfig("A", "社保", List.of(new ServiceItemConfig("A01", "转移", Duration.ofMinutes(15),
                        List.of("身份证")))), new CategoryConfig("B", "不动产", List.of())),
                windows, staff, QueueSettings.DEFAULTS);
    }

    @Override
    public void close() throws Exception {
        engine.close();
        journal.close();
    }
}
