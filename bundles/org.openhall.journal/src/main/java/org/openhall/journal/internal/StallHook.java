package org.openhall.journal.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test support: lets a test outside the JVM make the journal's writer hang, as it would on a disk
 * whose fsync never returns, to check that a hung hall is noticed (the systemd watchdog). Only
 * when the JVM runs with {@code -D}{@value #PROPERTY}{@code =true}; then, while the file
 * {@code <journal>.stall} exists, the writer waits before its next piece of work.
 *
 * <p>Written here because nothing outside can stall one thread of a running JVM: SIGSTOP stops
 * the whole process, and with it the very watchdog notifier that is under test. Off (the default)
 * it costs one field read per batch.
 */
final class StallHook {

    static final String PROPERTY = "openhall.journal.stallForTesting";

    private static final Logger LOG = LoggerFactory.getLogger(StallHook.class);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Path stallFile;

    private StallHook(Path stallFile) {
        this.stallFile = stallFile;
    }

    /** @return the hook of this journal, or {@code null} when the property is not set */
    static StallHook forJournal(Path file) {
        if (!Boolean.getBoolean(PROPERTY)) {
            return null;
        }
        Path stall = file.resolveSibling(file.getFileName() + ".stall");
        LOG.warn("Journal {}: test hook on, the writer stalls while {} exists ({})", file, stall, PROPERTY);
        return new StallHook(stall);
    }

    /** On the writer thread: returns once the stall file is gone. */
    void awaitNoStall() {
        if (!Files.exists(stallFile)) {
            return;
        }
        LOG.warn("Journal writer stalled by {}", stallFile);
        while (Files.exists(stallFile)) {
            LockSupport.parkNanos(POLL_NANOS); // a hung disk: nothing to wake up for
        }
        LOG.warn("Journal writer goes on: {} is gone", stallFile);
    }
}
