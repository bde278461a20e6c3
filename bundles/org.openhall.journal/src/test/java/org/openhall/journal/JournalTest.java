package org.openhall.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openhall.journal.TestSupport.await;
import static org.openhall.journal.TestSupport.replayAll;
import static org.openhall.journal.TestSupport.text;
import static org.openhall.journal.TestSupport.unit;
import static org.openhall.journal.TestSupport.utf8;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    @TempDir
    Path dir;

    private Journal open(Path file) throws JournalException {
        return Journal.open(file, JournalOptions.defaults());
    }

    @Test
    void appendedEntriesReplayInOrderWithTheirRequestIds() throws Exception {
        Path file = dir.resolve("a/b/journal.db"); // parent folders are created
        try (Journal journal = open(file)) {
            assertEquals(0, journal.lastSeq());
            Pending p1 = journal.append(List.of(new Entry("ticket.issued", 11, utf8("{\"t\":\"A001\",\"名\":\"办事\"}")),
                    new Entry("ticket.printed", 12, new byte[0])), new RequestRecord("req-1", "issue A", utf8("A001")));
            Pending p2 = journal.append(List.of(new Entry("window.opened", 13, new byte[] {0, -1, 127})), null);
            assertEquals(1, p1.firstSeq());
            assertEquals(2, p1.lastSeq());
            assertEquals(3, p2.firstSeq());
            assertEquals(3, p2.lastSeq());
            assertEquals(3, journal.lastSeq());
            await(p1.durable());
            await(p2.durable());

            List<StoredEntry> all = replayAll(journal, 0);
            assertEquals(List.of(
                    new StoredEntry(1, "ticket.issued", 11, "req-1", utf8("{\"t\":\"A001\",\"名\":\"办事\"}")),
                    new StoredEntry(2, "ticket.printed", 12, "req-1", new byte[0]),
                    new StoredEntry(3, "window.opened", 13, null, new byte[] {0, -1, 127})), all);
            assertEquals(List.of(3L), replayAll(journal, 2).stream().map(StoredEntry::seq).toList());
            assertEquals(List.of(), replayAll(journal, 3));
        }
        assertTrue(Files.exists(file));
        assertFalse(Files.exists(file.resolveSibling("journal.db-wal")), "a closed journal is one self-contained file");
    }

    @Test
    void firstSeqAtOrAfterFindsWhereAPeriodStarts() throws Exception {
        try (Journal journal = open(dir.resolve("journal.db"))) {
            await(journal.append(List.of(new Entry("a", 100, new byte[0]), new Entry("b", 200, new byte[0])), null).durable());
            await(journal.append(List.of(new Entry("c", 300, new byte[0])), null).durable());
            assertEquals(1, journal.firstSeqAtOrAfter(0));
            assertEquals(2, journal.firstSeqAtOrAfter(150));
            assertEquals(3, journal.firstSeqAtOrAfter(300));
            assertEquals(4, journal.firstSeqAtOrAfter(301), "none: one past the last");
        }
    }

    @Test
    void appendCopiesTheCallersArrays() throws Exception {
        try (Journal journal = open(dir.resolve("j.db"))) {
            byte[] payload = utf8("original");
            Pending p = journal.append(List.of(new Entry("t", 1, payload)), null);
            payload[0] = 'X';
            await(p.durable());
            assertEquals("original", text(replayAll(journal, 0).get(0).payload()));
        }
    }

    @Test
    void sequenceNumbersContinueAcrossReopen() throws Exception {
        Path file = dir.resolve("j.db");
        try (Journal journal = open(file)) {
            await(journal.append(unit("u1", 3), null).durable());
        }
        try (Journal journal = open(file)) {
            assertEquals(3, journal.lastSeq());
            Pending p = journal.append(unit("u2", 2), null);
            assertEquals(4, p.firstSeq());
            assertEquals(5, p.lastSeq());
            await(p.durable());
        }
        try (Journal journal = open(file)) {
            assertEquals(5, journal.lastSeq());
            List<StoredEntry> all = replayAll(journal, 0);
            TestSupport.assertContiguous(all, 1);
            assertEquals(5, all.size());
        }
    }

    @Test
    void requestRecordsKeepFingerprintResultAndSeqs() throws Exception {
        Path file = dir.resolve("j.db");
        try (Journal journal = open(file)) {
            await(journal.append(unit("first", 1), null).durable());
            Pending withEntries = journal.append(unit("u", 3), new RequestRecord("req-a", "call window=3", utf8("ok A001")));
            // A refused operation: a request record without entries.
            Pending refused = journal.append(List.of(), new RequestRecord("req-b", "issue category=Z", utf8("unknown category")));
            Pending noResult = journal.append(unit("v", 1), new RequestRecord("req-c", "pause window=1", null));
            assertEquals(5, refused.firstSeq());
            assertEquals(4, refused.lastSeq());
            assertEquals(0, refused.entryCount());
            await(noResult.durable());
            assertEquals(5, journal.lastSeq());

            StoredRequest a = journal.request("req-a").orElseThrow();
            assertEquals("call window=3", a.fingerprint());
            assertEquals(withEntries.firstSeq(), a.firstSeq());
            assertEquals(withEntries.lastSeq(), a.lastSeq());
            assertEquals("ok A001", text(a.result()));
            assertTrue(a.recordedAtMillis() > 0);

            StoredRequest b = journal.request("req-b").orElseThrow();
            assertEquals(0, b.firstSeq());
            assertEquals(0, b.lastSeq());
            assertTrue(b.hasNoEntries());
            assertEquals("unknown category", text(b.result()));

            assertNull(journal.request("req-c").orElseThrow().result());
            await(journal.append(List.of(), new RequestRecord("req-d", "empty result", new byte[0])).durable());
            assertArrayEquals(new byte[0], journal.request("req-d").orElseThrow().result());
            assertTrue(journal.request("req-unknown").isEmpty());
        }
        try (Journal journal = open(file)) {
            assertEquals("issue category=Z", journal.request("req-b").orElseThrow().fingerprint());
        }
    }

    @Test
    void aDuplicateRequestIdKeepsTheFirstRecordAndDoesNotBreakTheBatch() throws Exception {
        try (Journal journal = open(dir.resolve("j.db"))) {
            Pending first = journal.append(unit("one", 1), new RequestRecord("dup", "fp-1", utf8("r1")));
            Pending second = journal.append(unit("two", 1), new RequestRecord("dup", "fp-2", utf8("r2")));
            Pending third = journal.append(unit("three", 1), new RequestRecord("other", "fp-3", null));
            await(first.durable());
            await(second.durable());
            await(third.durable());
            assertFalse(journal.isFailed());
            StoredRequest dup = journal.request("dup").orElseThrow();
            assertEquals("fp-1", dup.fingerprint());
            assertEquals(1, dup.lastSeq());
            assertEquals(3, replayAll(journal, 0).size());
            assertTrue(journal.request("other").isPresent());
        }
    }

    @Test
    void requestsSinceAndRequestsAfterSelectRecentRecords() throws Exception {
        try (Journal journal = open(dir.resolve("j.db"))) {
            await(journal.append(unit("a", 2), new RequestRecord("r1", "f", null)).durable());   // seq 1-2
            await(journal.append(List.of(), new RequestRecord("r2", "f", null)).durable());      // at position 2
            await(journal.append(unit("b", 2), new RequestRecord("r3", "f", null)).durable());   // seq 3-4
            await(journal.append(List.of(), new RequestRecord("r4", "f", null)).durable());      // at position 4

            List<String> all = journal.requestsSince(0).stream().map(StoredRequest::requestId).toList();
            assertEquals(List.of("r1", "r2", "r3", "r4"), all);
            assertEquals(List.of(), journal.requestsSince(System.currentTimeMillis() + 60_000));

            assertEquals(List.of("r2", "r3", "r4"), journal.requestsAfter(2).stream().map(StoredRequest::requestId).toList());
            assertEquals(List.of("r4"), journal.requestsAfter(4).stream().map(StoredRequest::requestId).toList());
        }
    }

    @Test
    void snapshotsKeepTheNewestAndAreWrittenAfterEarlierAppends() throws Exception {
        Path file = dir.resolve("j.db");
        try (Journal journal = Journal.open(file, JournalOptions.defaults().withSnapshotsKept(2))) {
            assertTrue(journal.latestSnapshot().isEmpty());
            for (int i = 1; i <= 3; i++) {
                journal.append(unit("u" + i, 2), null);
                journal.saveSnapshot(journal.lastSeq(), 100 + i, utf8("state " + i));
            }
            // Snapshots and appends are processed in call order: once this unit is durable, so
            // are the snapshots queued before it.
            await(journal.append(unit("after", 1), null).durable());
            Snapshot latest = journal.latestSnapshot().orElseThrow();
            assertEquals(6, latest.seq());
            assertEquals(103, latest.timeMillis());
            assertEquals("state 3", text(latest.state()));
            assertThrows(IllegalArgumentException.class, () -> journal.saveSnapshot(journal.lastSeq() + 1, 0, new byte[0]));
        }
        assertEquals(2, TestSupport.queryLong(file, "SELECT count(*) FROM snapshot"));
        assertEquals(4, TestSupport.queryLong(file, "SELECT min(seq) FROM snapshot"));
        try (Journal journal = open(file)) {
            assertEquals("state 3", text(journal.latestSnapshot().orElseThrow().state()));
        }
    }

    @Test
    void pruneNeverDeletesEntriesThatNoSnapshotCovers() throws Exception {
        try (Journal journal = open(dir.resolve("j.db"))) {
            for (int i = 0; i < 5; i++) {
                journal.append(unit("u" + i, 2), null); // seq 1..10
            }
            await(journal.prune(Long.MAX_VALUE, 0));
            assertEquals(10, replayAll(journal, 0).size(), "without a snapshot nothing is deleted");

            journal.saveSnapshot(4, 0, utf8("state at 4"));
            await(journal.prune(Long.MAX_VALUE, 0));
            List<StoredEntry> left = replayAll(journal, 0);
            assertEquals(5, left.get(0).seq(), "entries up to the snapshot's seq are deleted, not beyond");
            TestSupport.assertContiguous(left, 5);
            assertEquals(10, left.get(left.size() - 1).seq());

            journal.saveSnapshot(8, 0, utf8("state at 8"));
            await(journal.prune(7, 0));
            assertEquals(7, replayAll(journal, 0).get(0).seq(), "keepFromSeq below the snapshot is respected");
        }
    }

    @Test
    void pruneDeletesOldRequestRecords() throws Exception {
        try (Journal journal = open(dir.resolve("j.db"))) {
            await(journal.append(unit("u", 1), new RequestRecord("old", "f", null)).durable());
            long cut = journal.request("old").orElseThrow().recordedAtMillis() + 1;
            await(journal.prune(0, cut));
            assertTrue(journal.request("old").isEmpty());
            assertEquals(1, replayAll(journal, 0).size());
        }
    }

    @Test
    void sequenceNumbersNeverGoBackAfterPruneAndReopen() throws Exception {
        Path file = dir.resolve("j.db");
        try (Journal journal = open(file)) {
            for (int i = 0; i < 5; i++) {
                journal.append(unit("u" + i, 1), null);
            }
            journal.saveSnapshot(5, 0, utf8("everything"));
            await(journal.prune(Long.MAX_VALUE, 0));
            assertEquals(List.of(), replayAll(journal, 0));
            assertEquals(5, journal.lastSeq());
        }
        assertEquals(0, TestSupport.queryLong(file, "SELECT count(*) FROM entry"));
        try (Journal journal = open(file)) {
            assertEquals(5, journal.lastSeq());
            Pending p = journal.append(unit("next", 1), null);
            assertEquals(6, p.firstSeq());
            await(p.durable());
            assertEquals(List.of(6L), replayAll(journal, 0).stream().map(StoredEntry::seq).toList());
        }
    }

    @Test
    void closeCommitsQueuedUnitsJoinsTheWriterAndIsIdempotent() throws Exception {
        Path file = dir.resolve("close.db");
        List<Pending> pendings = new ArrayList<>();
        Journal journal = open(file);
        assertTrue(TestSupport.writerThreadAlive("close.db"));
        for (int i = 0; i < 300; i++) {
            pendings.add(journal.append(unit("u" + i, 1), null));
        }
        journal.close();
        assertFalse(TestSupport.writerThreadAlive("close.db"), "close() joins the writer thread");
        for (Pending p : pendings) {
            assertTrue(p.durable().isDone() && !p.durable().isCompletedExceptionally());
        }
        journal.close();

        assertThrows(JournalException.class, () -> journal.append(unit("late", 1), null));
        assertThrows(JournalException.class, () -> journal.replay(0, e -> { }));
        assertThrows(JournalException.class, () -> journal.saveSnapshot(0, 0, new byte[0]));
        ExecutionException pruned = assertThrows(ExecutionException.class, () -> await(journal.prune(1, 0)));
        assertInstanceOf(JournalException.class, pruned.getCause());

        try (Journal reopened = open(file)) {
            assertEquals(300, reopened.lastSeq());
        }
    }

    @Test
    void aListenerMayCloseTheJournalFromTheWriterThread() throws Exception {
        Path file = dir.resolve("self.db");
        AtomicReference<Journal> self = new AtomicReference<>();
        CompletableFuture<Void> closedFromListener = new CompletableFuture<>();
        Journal journal = Journal.open(file, JournalOptions.defaults().withOnCommitted(entries -> {
            self.get().close();
            closedFromListener.complete(null);
        }));
        self.set(journal);
        Pending p = journal.append(unit("u", 1), null);
        await(closedFromListener);
        await(p.durable());
        journal.close(); // joins the writer, which finished closing by itself
        assertFalse(TestSupport.writerThreadAlive("self.db"));
        try (Journal reopened = open(file)) {
            assertEquals(1, reopened.lastSeq());
        }
    }

    @Test
    void aFileCanBeOpenedByOneJournalAtATime() throws Exception {
        Path file = dir.resolve("j.db");
        try (Journal journal = open(file)) {
            JournalException e = assertThrows(JournalException.class, () -> open(file));
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
            assertFalse(journal.isFailed());
        }
        open(file).close();
    }

    @Test
    void aDatabaseWithANewerSchemaIsRefusedAndLeftUntouched() throws Exception {
        Path file = dir.resolve("j.db");
        open(file).close();
        TestSupport.execute(file, "PRAGMA user_version = 99");
        String before = TestSupport.sha256(file);
        JournalException e = assertThrows(JournalException.class, () -> open(file));
        assertFalse(e instanceof JournalCorruptException);
        assertTrue(e.getMessage().contains("schema version 99") && e.getMessage().contains(file.toString()), e.getMessage());
        assertEquals(before, TestSupport.sha256(file));
    }

    @Test
    void anotherApplicationsDatabaseIsRefusedAndLeftUntouched() throws Exception {
        Path file = dir.resolve("other.db");
        TestSupport.execute(file, "CREATE TABLE person (name TEXT)", "INSERT INTO person VALUES ('x')");
        String before = TestSupport.sha256(file);
        JournalException e = assertThrows(JournalException.class, () -> open(file));
        assertTrue(e.getMessage().contains("not an OpenHall journal"), e.getMessage());
        assertEquals(before, TestSupport.sha256(file));
    }

    @Test
    void invalidArgumentsAreRejected() throws Exception {
        try (Journal journal = open(dir.resolve("j.db"))) {
            assertThrows(IllegalArgumentException.class, () -> journal.append(List.of(), null));
            assertThrows(IllegalArgumentException.class, () -> new Entry(" ", 0, new byte[0]));
            assertThrows(NullPointerException.class, () -> new Entry("t", 0, null));
            assertThrows(IllegalArgumentException.class, () -> new JournalOptions(0, 1, null));
            assertEquals(0, journal.lastSeq());
        }
    }

    @Test
    void equalityOfRecordsComparesArrayContents() {
        assertEquals(new Entry("t", 1, utf8("x")), new Entry("t", 1, utf8("x")));
        assertEquals(new Snapshot(1, 2, utf8("s")).hashCode(), new Snapshot(1, 2, utf8("s")).hashCode());
        assertArrayEquals(utf8("x"), new StoredEntry(1, "t", 1, null, utf8("x")).payload());
    }
}
