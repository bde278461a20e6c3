package org.openhall.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.openhall.journal.TestSupport.await;
import static org.openhall.journal.TestSupport.unit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Journal#probe()}, the journal's health signal, and the stall hook that tests a hang with it. */
class ProbeTest {

    @TempDir
    Path dir;

    @AfterEach
    void hookOff() {
        System.clearProperty("openhall.journal.stallForTesting");
    }

    @Test
    void theWriterAnswersAfterWhatWasQueuedBeforeAndNotWhenClosed() throws Exception {
        Journal journal = Journal.open(dir.resolve("j.db"), JournalOptions.defaults());
        Pending p = journal.append(unit("a", 3), null);
        CompletableFuture<Void> probe = journal.probe();
        await(probe);
        assertEquals(true, p.durable().isDone(), "the probe came after the unit queued before it");
        journal.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> journal.probe().get(5, TimeUnit.SECONDS));
        assertEquals(JournalException.class, e.getCause().getClass());
    }

    @Test
    void whileTheStallFileExistsTheWriterDoesNotAnswerAndThenItDoes() throws Exception {
        System.setProperty("openhall.journal.stallForTesting", "true");
        Path file = dir.resolve("j.db");
        try (Journal journal = Journal.open(file, JournalOptions.defaults())) {
            await(journal.probe());
            Path stall = dir.resolve("j.db.stall");
            Files.createFile(stall);
            CompletableFuture<Void> probe = journal.probe();
            Pending p = journal.append(unit("b", 1), null);
            // A hung writer: neither the probe nor the append completes (a bound, not a measurement).
            assertThrows(TimeoutException.class, () -> probe.get(1, TimeUnit.SECONDS));
            assertFalse(p.durable().isDone());
            Files.delete(stall);
            await(probe);
            await(p.durable());
        }
    }

    @Test
    void withoutThePropertyTheStallFileMeansNothing() throws Exception {
        Path file = dir.resolve("j.db");
        Files.createFile(dir.resolve("j.db.stall"));
        try (Journal journal = Journal.open(file, JournalOptions.defaults())) {
            await(journal.probe());
        }
    }
}
