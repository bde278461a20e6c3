package org.openhall.queue.core.internal.engine;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.openhall.api.runtime.Health;
import org.openhall.api.runtime.HealthCheck;
import org.openhall.journal.Journal;

/**
 * The queue core's health: the journal's writer thread answers (after everything queued before,
 * so a hung disk or writer shows) and the engine's lock is free within the bound (no operation
 * stuck while holding it). A full disk is healthy here: the writer is alive, operations are
 * refused with a retryable error and the core recovers by itself (docs/queue.md); restarting the
 * hall would not give the disk back.
 */
final class QueueHealth implements HealthCheck {

    static final String NAME = "queue";

    private final Journal journal;
    private final QueueEngine engine;

    QueueHealth(Journal journal, QueueEngine engine) {
        this.journal = journal;
        this.engine = engine;
    }

    @Override
    public Health check(Duration bound) {
        long start = System.nanoTime();
        long boundNanos = bound.toNanos();
        try {
            journal.probe().get(boundNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return Health.down("the journal writer of " + journal.file() + " has not answered within " + bound.toMillis() + " ms");
        } catch (ExecutionException e) {
            return Health.down("the journal " + journal.file() + " does not work: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down("interrupted while checking the journal");
        }
        long journalNanos = System.nanoTime() - start;
        try {
            if (!engine.answers(Math.max(0, boundNanos - journalNanos))) {
                return Health.down("the queue engine's lock was not free within " + bound.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down("interrupted while checking the queue engine");
        }
        String answered = "journal writer answered in " + TimeUnit.NANOSECONDS.toMillis(journalNanos) + " ms";
        return Health.up(journal.isFailed() ? answered + "; writing fails (disk full?), retried every second" : answered);
    }
}
