package org.openhall.queue.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.api.runtime.Health;
import org.openhall.journal.Journal;
import org.openhall.journal.JournalOptions;

/**
 * The queue core's health check on a real journal, stalled by the journal's test hook as on a
 * hung disk: healthy while the writer answers, unhealthy within the bound while it does not.
 */
class QueueHealthTest {

    static final Duration BOUND = Duration.ofMillis(500);

    @TempDir
    Path dir;

    @AfterEach
    void hookOff() {
        System.clearProperty("openhall.journal.stallForTesting");
    }

    @Test
    void healthyWhileTheWriterAnswersAndDownWithinTheBoundWhileItHangs() throws Exception {
        System.setProperty("openhall.journal.stallForTesting", "true");
        Path file = dir.resolve("journal.db");
        try (Journal journal = Journal.open(file, JournalOptions.defaults());
                QueueEngine engine = QueueEngine.start(journal, TestHalls.hall(2), Clock.systemUTC(), () -> null)) {
            QueueHealth health = new QueueHealth(journal, engine);
            Health up = health.check(BOUND);
            assertTrue(up.healthy(), up.detail());

            Path stall = dir.resolve("journal.db.stall");
            Files.createFile(stall);
            long start = System.nanoTime();
            Health down = health.check(BOUND);
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertFalse(down.healthy(), down.detail());
            assertTrue(down.detail().contains("has not answered within 500 ms"), down.detail());
            assertTrue(took < 10 * BOUND.toMillis(), "the check kept its bound: " + took + " ms"); // a bound, not a benchmark

            Files.delete(stall);
            Health again = health.check(Duration.ofSeconds(30));
            assertTrue(again.healthy(), again.detail());
        }
    }

    @Test
    void downWhileAnOperationHoldsTheEngineLock() throws Exception {
        Path file = dir.resolve("journal.db");
        try (Journal journal = Journal.open(file, JournalOptions.defaults());
                QueueEngine engine = QueueEngine.start(journal, TestHalls.hall(2), Clock.systemUTC(), () -> null)) {
            QueueHealth health = new QueueHealth(journal, engine);
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> engine.withLockForTesting(() -> {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertTrue(held.await(30, TimeUnit.SECONDS));
            Health down = health.check(BOUND);
            assertFalse(down.healthy(), down.detail());
            assertTrue(down.detail().contains("lock"), down.detail());
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
            assertTrue(health.check(BOUND).healthy());
        }
    }
}
