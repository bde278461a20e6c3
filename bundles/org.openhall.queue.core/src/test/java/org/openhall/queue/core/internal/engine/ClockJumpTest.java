package org.openhall.queue.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.DayStatistics;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.TicketView;
import org.openhall.api.queue.WindowView;
import org.openhall.journal.Journal;
import org.openhall.journal.JournalOptions;
import org.openhall.journal.StoredEntry;
import org.openhall.queue.core.domain.Command;

/**
 * The system clock steps (issue 16, "Clock jumps"): NTP sets it back an hour across midnight, or
 * forward a day. No second day rollover, no reused ticket number, no negative waits in the
 * statistics, and seq order as always. The clock is the test's (the one thing a test cannot make
 * real); journal and engine are real.
 */
class ClockJumpTest {

    static final Actor KIOSK = Actor.device("kiosk-1");
    static final Actor STAFF = Actor.staff("s1");

    @TempDir
    Path tmp;
    final EngineTest.TestClock clock = new EngineTest.TestClock();
    final List<StoredEntry> published = new CopyOnWriteArrayList<>();
    final List<AutoCloseable> open = new ArrayList<>();
    int requests;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    QueueEngine start() throws Exception {
        Journal journal = Journal.open(tmp.resolve("journal.db"), JournalOptions.defaults().withOnCommitted(this::committed));
        open.add(journal);
        QueueEngine engine = QueueEngine.start(journal, TestHalls.hall(2), clock, () -> null);
        open.add(0, engine);
        return engine;
    }

    <T> T ok(QueueEngine engine, Command c, Class<T> type) {
        var r = engine.execute("r" + (++requests), c, type);
        assertTrue(r.isOk(), () -> c + ": " + r.error());
        return r.value();
    }

    String issue(QueueEngine engine) {
        return ok(engine, new Command.IssueTicket(KIOSK, "A", PriorityClass.NORMAL, null), IssuedTicket.class).ticket()
                .number();
    }

    void committed(List<StoredEntry> entries) {
        synchronized (published) {
            published.addAll(entries);
            published.notifyAll();
        }
    }

    /** The day rollovers published once every event up to the engine's seq is (the callback runs on the writer thread). */
    long dayStarts(QueueEngine engine) throws InterruptedException {
        long seq = engine.seq();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        synchronized (published) {
            while (published.isEmpty() || published.get(published.size() - 1).seq() < seq) {
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, "events up to seq " + seq + " published");
                published.wait(Math.max(1, left / 1_000_000));
            }
        }
        return published.stream().filter(e -> e.type().equals(QueueEvents.DAY_STARTED)).count();
    }

    @Test
    void aClockSetBackAcrossMidnightStartsNoSecondDayAndReusesNoNumber() throws Exception {
        clock.now = Instant.parse("2026-11-23T15:50:00Z"); // 23:50 in Shanghai
        QueueEngine engine = start();
        assertEquals("A001", issue(engine));
        LocalDate first = engine.snapshot().day();

        clock.now = Instant.parse("2026-11-23T16:10:00Z"); // 00:10: the next day
        engine.tick();
        assertEquals(first.plusDays(1), engine.snapshot().day());
        long starts = dayStarts(engine);
        assertEquals("A001", issue(engine), "numbering restarts once, at midnight");

        clock.now = Instant.parse("2026-11-23T15:10:00Z"); // NTP steps back an hour: 23:10 of the day before
        engine.tick();
        assertEquals(first.plusDays(1), engine.snapshot().day(), "the day does not go back");
        assertEquals("A002", issue(engine), "the numbers of the new day go on");
        clock.now = Instant.parse("2026-11-23T16:20:00Z"); // midnight again, as the clock sees it
        engine.tick();
        assertEquals("A003", issue(engine));
        assertEquals(starts, dayStarts(engine), "no second rollover");
        assertEquals(first.plusDays(1), engine.snapshot().day());
        assertSeqOrder();
    }

    @Test
    void waitsAndHandlingTimesNeverGoNegativeWhenTheClockStepsBack() throws Exception {
        QueueEngine engine = start();
        ok(engine, new Command.OpenWindow(STAFF, "1", "s1", TestHalls.PIN), WindowView.class);
        issue(engine);
        clock.now = clock.now.minus(Duration.ofHours(1)); // before the ticket was issued
        ok(engine, new Command.CallNext(STAFF, "1"), TicketView.class);
        ok(engine, new Command.Start(STAFF, "1"), TicketView.class);
        clock.now = clock.now.minus(Duration.ofMinutes(30)); // before the start
        ok(engine, new Command.Finish(STAFF, "1", org.openhall.api.queue.Finish.done()), TicketView.class);

        DayStatistics stats = engine.statistics(engine.snapshot().day()).orElseThrow();
        assertEquals(1, stats.hall().served());
        assertTrue(stats.hall().averageWaitSeconds() >= 0, () -> "wait " + stats.hall().averageWaitSeconds());
        assertTrue(stats.hall().p90WaitSeconds() >= 0);
        assertTrue(stats.hall().averageHandlingSeconds() >= 0, () -> "handling " + stats.hall().averageHandlingSeconds());
        assertSeqOrder();
    }

    @Test
    void aClockSetForwardADayRollsOverOnce() throws Exception {
        QueueEngine engine = start();
        assertEquals("A001", issue(engine));
        LocalDate first = engine.snapshot().day();
        long starts = dayStarts(engine);

        clock.now = clock.now.plus(Duration.ofDays(1));
        engine.tick();
        engine.tick();
        assertEquals("A001", issue(engine), "a new day, numbering restarted");
        assertEquals(starts + 1, dayStarts(engine), "exactly one rollover");
        assertEquals(first.plusDays(1), engine.snapshot().day());

        clock.now = clock.now.minus(Duration.ofDays(1)); // and back again: stays on the new day
        engine.tick();
        assertEquals("A002", issue(engine));
        assertEquals(starts + 1, dayStarts(engine));
        assertSeqOrder();
    }

    /** The events committed so far are in seq order, without holes, whatever the clock did. */
    void assertSeqOrder() {
        assertTrue(published.size() > 1, "events were committed");
        for (int i = 1; i < published.size(); i++) {
            assertEquals(published.get(i - 1).seq() + 1, published.get(i).seq(), "contiguous seq");
        }
    }
}
