package org.openhall.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openhall.journal.TestSupport.TIMEOUT_SECONDS;
import static org.openhall.journal.TestSupport.await;
import static org.openhall.journal.TestSupport.unit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {

    private static final int THREADS = 8;
    private static final int UNITS_PER_THREAD = 150;
    private static final int ENTRIES_PER_UNIT = 2;

    @TempDir
    Path dir;

    /**
     * Eight callers append concurrently, each waiting for its unit to be durable before the next:
     * the writer must commit several callers' units per fsync, and the listener must see every
     * entry exactly once, in seq order, only once committed, before the callers' futures complete.
     */
    @Test
    void concurrentCallersShareCommitsAndTheListenerSeesCommittedEntriesInOrderFirst() throws Exception {
        AtomicLong published = new AtomicLong();           // highest seq passed to the listener
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        Journal[] self = new Journal[1];
        JournalOptions options = JournalOptions.defaults().withOnCommitted(entries -> {
            // Runs on the writer thread; an assertion error here would only be logged, so record it.
            long expected = published.get() + 1;
            for (StoredEntry e : entries) {
                if (e.seq() != expected) {
                    violations.add("listener got seq " + e.seq() + ", expected " + expected);
                }
                expected = e.seq() + 1;
            }
            StoredEntry last = entries.get(entries.size() - 1);
            try {
                // Committed: a separate connection (the journal's reader) already sees it.
                List<StoredEntry> visible = TestSupport.replayAll(self[0], last.seq() - 1);
                if (visible.isEmpty() || visible.get(0).seq() != last.seq()) {
                    violations.add("seq " + last.seq() + " passed to the listener is not committed");
                }
            } catch (JournalException e) {
                violations.add("reading in the listener failed: " + e);
            }
            published.set(last.seq());
        });

        try (Journal journal = Journal.open(dir.resolve("group.db"), options)) {
            self[0] = journal;
            CyclicBarrier start = new CyclicBarrier(THREADS);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> callers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    callers.add(pool.submit(() -> {
                        start.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                        for (int i = 0; i < UNITS_PER_THREAD; i++) {
                            Pending p = journal.append(unit("t" + thread + "-" + i, ENTRIES_PER_UNIT),
                                    new RequestRecord("t" + thread + "-" + i, "fp", null));
                            await(p.durable());
                            // The listener ran before this future completed.
                            if (published.get() < p.lastSeq()) {
                                violations.add("future of seq " + p.lastSeq() + " completed before the listener saw it");
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> caller : callers) {
                    caller.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }

            JournalStats stats = journal.stats();
            int units = THREADS * UNITS_PER_THREAD;
            assertEquals(units, stats.unitsAppended());
            assertEquals((long) units * ENTRIES_PER_UNIT, stats.entries());
            assertTrue(stats.commits() < units, "group commit: " + stats.commits() + " commits for " + units + " units");
            assertTrue(stats.meanEntriesPerCommit() > ENTRIES_PER_UNIT, stats.toString());
            assertTrue(stats.maxCommitMicros() >= stats.meanCommitMicros(), stats.toString());
            assertEquals(List.of(), List.copyOf(violations));
            assertEquals(journal.lastSeq(), published.get());
            TestSupport.assertContiguous(TestSupport.replayAll(journal, 0), 1);
            System.out.println("GroupCommitTest: " + stats + ", " + String.format("%.1f", stats.meanUnitsPerCommit())
                    + " units per commit");
        }
    }

    @Test
    void aThrowingListenerDoesNotHarmTheWriter() throws Exception {
        JournalOptions options = JournalOptions.defaults().withOnCommitted(entries -> {
            throw new IllegalStateException("listener bug (expected in this test)");
        });
        try (Journal journal = Journal.open(dir.resolve("listener.db"), options)) {
            for (int i = 0; i < 3; i++) {
                await(journal.append(unit("u" + i, 1), null).durable());
            }
            assertEquals(3, TestSupport.replayAll(journal, 0).size());
            assertTrue(!journal.isFailed());
        }
    }
}
