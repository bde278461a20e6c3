package org.openhall.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openhall.journal.TestSupport.TIMEOUT_SECONDS;
import static org.openhall.journal.TestSupport.await;
import static org.openhall.journal.TestSupport.replayAll;
import static org.openhall.journal.TestSupport.text;
import static org.openhall.journal.TestSupport.unit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailureTest {

    @TempDir
    Path dir;

    /**
     * A real SQLite error: {@code PRAGMA max_page_count} keeps the database from growing, so
     * writing fails with SQLITE_FULL exactly as on a full disk.
     */
    @Test
    void aFailedWriteFailsTheJournalAndLosesNothingThatWasAcknowledged() throws Exception {
        Path file = dir.resolve("full.db");
        List<Long> committed = new ArrayList<>();
        try (Journal journal = Journal.open(file, JournalOptions.defaults())) {
            for (int i = 0; i < 20; i++) {
                Pending p = journal.append(unit("ok" + i, 2), new RequestRecord("ok" + i, "fp", null));
                await(p.durable());
                committed.add(p.lastSeq());
            }
            await(journal.limitGrowthForTesting(2));

            // Units far larger than two pages: the first transaction to write one fails.
            byte[] big = new byte[64 * 1024];
            Arrays.fill(big, (byte) 'x');
            List<Pending> doomed = new ArrayList<>();
            try {
                for (int i = 0; i < 10; i++) {
                    doomed.add(journal.append(List.of(new Entry("big", i, big)), new RequestRecord("big" + i, "fp", null)));
                }
            } catch (JournalException refused) {
                // The writer may fail the first big unit while this loop still appends: the rest is
                // refused at once, which is just as good (nothing of it is written).
                assertTrue(journal.isFailed());
            }
            for (Pending p : doomed) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> p.durable().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                JournalException cause = assertInstanceOf(JournalException.class, e.getCause());
                assertTrue(cause.getMessage().contains(file.toString()), cause.getMessage());
            }
            String first = doomed.get(0).durable().handle((v, e) -> e.getCause().getMessage()).join();
            assertTrue(first.contains("SQLITE_FULL"), first);

            assertTrue(journal.isFailed());
            assertTrue(journal.stats().failed());
            JournalException refused = assertThrows(JournalException.class, () -> journal.append(unit("late", 1), null));
            assertTrue(refused.getMessage().contains("failed"), refused.getMessage());
            assertThrows(JournalException.class, () -> journal.saveSnapshot(0, 0, new byte[0]));
            CompletableFuture<Void> prune = journal.prune(1, 0);
            assertThrows(ExecutionException.class, () -> await(prune));
            // Reads still work: what was committed is there.
            assertEquals(40, replayAll(journal, 0).size());
            assertEquals(40, journal.lastSeq(), "the seqs of the units not written were given back");
        }
        assertFalse(TestSupport.writerThreadAlive("full.db"));

        try (Journal journal = Journal.open(file, JournalOptions.defaults())) {
            assertFalse(journal.isFailed());
            assertEquals(40, journal.lastSeq(), "the failed units' seqs were never durable");
            List<StoredEntry> all = replayAll(journal, 0);
            TestSupport.assertContiguous(all, 1);
            assertEquals(40, all.size());
            assertEquals("unit ok19 part 2/2", text(all.get(39).payload()));
            assertTrue(journal.request("ok19").isPresent());
            assertTrue(journal.request("big0").isEmpty());
            Pending next = journal.append(unit("after", 1), null);
            assertEquals(41, next.firstSeq());
            await(next.durable());
        }
    }

    /**
     * Disk full and space back, without closing the journal: SQLITE_FULL for real through
     * {@code PRAGMA max_page_count} (SQLite's own limit, the same error path as a full disk; the
     * queue core's DiskFullTest fills a real tmpfs). While full, appends stay refused until
     * {@code resume()}, and a unit that still does not fit fails again; once there is room the
     * sequence goes on
     * right after the last durable entry: no gap, no seq of a failed unit in the file, every
     * committed entry delivered to {@code onCommitted} exactly once.
     */
    @Test
    void afterSpaceIsFreedResumeLetsTheSameJournalWriteAgainWithoutAGap() throws Exception {
        Path file = dir.resolve("resume.db");
        List<StoredEntry> seen = new CopyOnWriteArrayList<>();
        try (Journal journal = Journal.open(file, JournalOptions.defaults().withOnCommitted(seen::addAll))) {
            assertTrue(await(journal.resume()), "a healthy journal is writable");
            for (int i = 0; i < 5; i++) {
                await(journal.append(unit("ok" + i, 2), new RequestRecord("ok" + i, "fp", null)).durable());
            }
            await(journal.limitGrowthForTesting(2));
            byte[] big = new byte[64 * 1024];
            Arrays.fill(big, (byte) 'x');
            List<Pending> doomed = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    doomed.add(journal.append(List.of(new Entry("big", i, big)), new RequestRecord("big" + i, "fp", null)));
                }
            } catch (JournalException refused) {
                assertTrue(journal.isFailed(), "refused only because the first big unit failed already");
            }
            for (Pending p : doomed) {
                assertThrows(ExecutionException.class, () -> p.durable().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            assertTrue(journal.isFailed());
            assertEquals(10, journal.lastSeq());

            assertThrows(JournalException.class, () -> journal.append(unit("refused", 1), null), "refused until resumed");
            // Still "full": max_page_count limits the database file, not the write-ahead log, so
            // the probe (which does not grow the file) commits; the big unit fails again and
            // fails the journal again, with its seq given back again. (On a real full disk the
            // probe fails too: see the queue core's DiskFullTest.)
            assertTrue(await(journal.resume()));
            Pending stillTooBig = journal.append(List.of(new Entry("big", 5, big)), new RequestRecord("big5", "fp", null));
            assertEquals(11, stillTooBig.firstSeq());
            assertThrows(ExecutionException.class, () -> stillTooBig.durable().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(journal.isFailed());
            assertEquals(10, journal.lastSeq());

            await(journal.limitGrowthForTesting(10_000)); // space is back
            assertTrue(await(journal.resume()));
            assertFalse(journal.isFailed());
            assertFalse(journal.stats().failed());
            Pending after = journal.append(unit("after", 1), new RequestRecord("after", "fp", null));
            assertEquals(11, after.firstSeq(), "continues right after the last durable entry");
            await(after.durable());
            Pending bigAgain = journal.append(List.of(new Entry("big", 9, big)), new RequestRecord("big-again", "fp", null));
            await(bigAgain.durable());
            assertEquals(12, bigAgain.lastSeq());
            journal.saveSnapshot(12, 0, new byte[] { 1 });
            await(journal.prune(1, 0)); // snapshots and prunes work again too
        }
        assertEquals(12, seen.size(), "each committed entry once");
        TestSupport.assertContiguous(seen, 1);

        try (Journal journal = Journal.open(file, JournalOptions.defaults())) {
            assertEquals(12, journal.lastSeq());
            assertTrue(journal.request("big0").isEmpty(), "a failed unit is wholly absent");
            assertTrue(journal.request("after").isPresent());
            assertTrue(journal.request("big-again").isPresent());
            assertEquals(12, journal.latestSnapshot().orElseThrow().seq());
        }
    }

    @Test
    void aClosedJournalCannotResume() throws Exception {
        Journal journal = Journal.open(dir.resolve("closed.db"), JournalOptions.defaults());
        journal.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(journal.resume()));
        assertInstanceOf(JournalException.class, e.getCause());
    }
}
