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
            for (int i = 0; i < 10; i++) {
                doomed.add(journal.append(List.of(new Entry("big", i, big)), new RequestRecord("big" + i, "fp", null)));
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
}
