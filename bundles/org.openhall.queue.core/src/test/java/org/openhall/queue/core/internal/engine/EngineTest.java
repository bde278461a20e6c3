package org.openhall.queue.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.api.queue.Actor;
import org.openhall.api.policy.PhasePolicy;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.HallPhase;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.Result;
import org.openhall.api.queue.TicketView;
import org.openhall.journal.Journal;
import org.openhall.journal.JournalOptions;
import org.openhall.journal.StoredEntry;
import org.openhall.queue.core.domain.Command;
import org.openhall.queue.core.domain.Policies;
import org.openhall.queue.core.domain.QueueSettings;

/** The engine on a real journal file, with a clock the test moves (the one thing mocked). */
class EngineTest {

    /** A clock the test sets: time is the one thing a test cannot wait for. */
    static final class TestClock extends Clock {
        volatile Instant now = Instant.parse("2026-11-23T01:00:00Z"); // 09:00 in Shanghai

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

    static final Actor KIOSK = Actor.device("kiosk-1");

    @TempDir
    Path tmp;

    final TestClock clock = new TestClock();
    final List<StoredEntry> published = new CopyOnWriteArrayList<>();
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    QueueEngine start(QueueSettings settings) throws Exception {
        Journal journal = Journal.open(tmp.resolve("journal.db"), JournalOptions.defaults().withOnCommitted(this::committed));
        open.add(journal);
        QueueEngine engine = QueueEngine.start(journal, TestHalls.hall(2, settings), clock, () -> null);
        open.add(0, engine);
        return engine;
    }

    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        open.clear();
    }

    static Command issue(String category) {
        return new Command.IssueTicket(KIOSK, category, PriorityClass.NORMAL, null);
    }

    @Test
    void sequenceNumbersAndRequestIdsContinueAfterARestart() throws Exception {
        QueueEngine engine = start(QueueSettings.DEFAULTS);
        IssuedTicket first = engine.execute("req-1", issue("A"), IssuedTicket.class).value();
        engine.execute(null, issue("B"), IssuedTicket.class).value();
        long seq = engine.seq();
        stop();

        engine = start(QueueSettings.DEFAULTS);
        assertEquals(seq, engine.seq());
        IssuedTicket again = engine.execute("req-1", issue("A"), IssuedTicket.class).value();
        assertEquals(first, again, "the first result, remembered across the restart");
        assertEquals(seq, engine.seq(), "a repeated request writes nothing");
        assertEquals("A002", engine.execute(null, issue("A"), IssuedTicket.class).value().ticket().number());
        assertEquals(seq + 1, engine.seq());
    }

    @Test
    void aRefusalWithARequestIdIsRememberedToo() throws Exception {
        QueueEngine engine = start(QueueSettings.DEFAULTS);
        Result<TicketView> refused = engine.execute("call-1", new Command.CallNext(Actor.staff("s1"), "1"), TicketView.class);
        assertEquals(ErrorCode.WINDOW_NOT_OPEN, refused.error().code());
        assertEquals(refused, engine.execute("call-1", new Command.CallNext(Actor.staff("s1"), "1"), TicketView.class));
        assertEquals(ErrorCode.REQUEST_ID_CONFLICT,
                engine.execute("call-1", issue("A"), IssuedTicket.class).error().code());
        assertEquals(0, engine.seq(), "refusals produce no events");
    }

    @Test
    void eventsArePublishedInSeqOrderOnlyOnceDurable() throws Exception {
        QueueEngine engine = start(QueueSettings.DEFAULTS);
        for (int i = 0; i < 5; i++) {
            engine.execute(null, issue("A"), IssuedTicket.class).value();
            // Acknowledged means committed: the commit callback ran before the acknowledgement.
            assertEquals(engine.seq(), published.get(published.size() - 1).seq());
        }
        for (int i = 0; i < published.size(); i++) {
            assertEquals(i + 1, published.get(i).seq());
        }
    }

    @Test
    void thePhaseIsJournaledByTheTimerAndAfterOperationsAndPolicyStateSurvivesARestart() throws Exception {
        Journal journal = Journal.open(tmp.resolve("journal.db"), JournalOptions.defaults().withOnCommitted(this::committed));
        open.add(journal);
        HallPhase[] answer = { HallPhase.OPEN };
        PhasePolicy phase = (byHours, hall) -> answer[0];
        QueueEngine engine = QueueEngine.open(journal, TestHalls.hall(2, QueueSettings.DEFAULTS), clock,
                () -> new Policies(null, List.of(), List.of(), phase));
        open.add(0, engine);
        engine.tick();
        assertEquals(HallPhase.OPEN, engine.snapshot().phase());
        awaitPublished(engine.seq()); // the timer does not wait for the disk; its event follows once durable
        assertEquals(QueueEvents.HALL_OPENED, published.get(published.size() - 1).type());
        long seq = engine.seq();
        engine.tick();
        assertEquals(seq, engine.seq(), "no change, no event");

        answer[0] = HallPhase.EXTENDED;
        engine.execute(null, issue("A"), IssuedTicket.class).value();
        assertEquals(List.of(QueueEvents.TICKET_ISSUED, QueueEvents.HALL_EXTENDED),
                published.subList(published.size() - 2, published.size()).stream().map(StoredEntry::type).toList(),
                "the phase change follows the operation, in the same unit");

        Command put = new Command.PutPolicyState(Actor.system("p"), "org.example.policy", "k", "v1");
        assertEquals(Boolean.TRUE, engine.execute("put-1", put, Boolean.class).value());
        long afterPut = engine.seq();
        assertEquals(Boolean.TRUE, engine.execute("put-1", put, Boolean.class).value(), "the first result again");
        Command same = new Command.PutPolicyState(Actor.system("p"), "org.example.policy", "k", "v1");
        assertEquals(Boolean.FALSE, engine.execute("put-2", same, Boolean.class).value(), "unchanged");
        assertEquals(afterPut, engine.seq(), "neither the repeat nor the unchanged value is an event");
        stop();

        engine = start(QueueSettings.DEFAULTS);
        assertEquals(Map.of("k", "v1"), engine.policyState("org.example.policy"));
        assertEquals(HallPhase.EXTENDED, engine.snapshot().phase());
        assertEquals(Boolean.FALSE, engine.execute("put-2", same, Boolean.class).value(), "remembered across the restart");
    }

    /** The journal's commit callback: keeps the entries and wakes {@link #awaitPublished}. */
    void committed(List<StoredEntry> entries) {
        synchronized (published) {
            published.addAll(entries);
            published.notifyAll();
        }
    }

    private void awaitPublished(long seq) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        synchronized (published) {
            while (published.isEmpty() || published.get(published.size() - 1).seq() < seq) {
                long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
                if (left <= 0) {
                    throw new AssertionError("seq " + seq + " was not published within 10 s");
                }
                published.wait(left); // woken by the commit callback
            }
        }
    }

    @Test
    void aClosedEngineRefusesWithTheRetryableUnavailable() throws Exception {
        QueueEngine engine = start(QueueSettings.DEFAULTS);
        engine.close();
        Result<IssuedTicket> r = engine.execute("req", issue("A"), IssuedTicket.class);
        assertEquals(ErrorCode.UNAVAILABLE, r.error().code());
        assertTrue(r.error().code().retryable());
        assertFalse(engine.isAvailable());
    }

    @Test
    void aJournalThatCannotWriteAgainKeepsTheEngineUnavailable() throws Exception {
        QueueEngine engine = start(QueueSettings.DEFAULTS);
        engine.retryEvery(Duration.ZERO);
        assertTrue(engine.execute("ok", issue("A"), IssuedTicket.class).isOk());
        ((Journal) open.get(1)).close(); // the journal goes away under the engine: resume() is refused for good
        for (int i = 0; i < 3; i++) {
            Result<IssuedTicket> r = engine.execute("late-" + i, issue("A"), IssuedTicket.class);
            assertEquals(ErrorCode.UNAVAILABLE, r.error().code());
        }
        engine.retry();
        assertFalse(engine.isAvailable(), "a failure that cannot go away is not retried");
        assertTrue(engine.execute("late-9", issue("A"), IssuedTicket.class).error().message().contains("cannot write again"),
                "the reason says so");
    }

    @Test
    void theDayRollsOverNumbersRestartAndTheJournalKeepsOnlyTheRetentionPeriod() throws Exception {
        QueueSettings oneDay = new QueueSettings(3, Duration.ofMinutes(30), Duration.ofMinutes(30), 2, 20,
                Duration.ofMinutes(5), 1);
        QueueEngine engine = start(oneDay);
        assertEquals("A001", engine.execute(null, issue("A"), IssuedTicket.class).value().ticket().number());
        LocalDate day1 = engine.snapshot().day();

        clock.now = clock.now.plus(Duration.ofDays(1));
        engine.tick(); // the timer's rollover, without an operation
        assertEquals(day1.plusDays(1), engine.snapshot().day());
        assertEquals("A001", engine.execute(null, issue("A"), IssuedTicket.class).value().ticket().number(),
                "numbers restart each day");
        assertTrue(engine.statistics(day1).isPresent(), "yesterday's statistics are kept");

        clock.now = clock.now.plus(Duration.ofDays(2));
        engine.tick();
        long seq = engine.seq();
        stop();
        try (Journal journal = Journal.open(tmp.resolve("journal.db"), JournalOptions.defaults())) {
            List<StoredEntry> left = new ArrayList<>();
            journal.replay(0, left::add);
            assertTrue(left.isEmpty() || left.get(0).seq() > 2, "day 1's entries are gone: " + left);
            assertEquals(seq, journal.lastSeq());
        }
        engine = start(oneDay);
        assertEquals(seq, engine.seq(), "rebuilt from the snapshot, seq continues after pruning");
        assertFalse(engine.statistics(day1).isPresent(), "past the retention period");
    }
}
