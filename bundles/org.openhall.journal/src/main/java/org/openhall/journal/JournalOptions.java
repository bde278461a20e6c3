package org.openhall.journal;

import java.util.List;
import java.util.function.Consumer;

/**
 * Options of a {@link Journal}.
 *
 * @param maxBatchUnits the most units the writer thread commits in one transaction (group commit);
 *                      at least 1. A larger batch shares one fsync among more callers; the writer
 *                      never waits to fill a batch, it takes what is queued.
 * @param snapshotsKept how many snapshots (the newest, by sequence number) are kept; at least 1.
 *                      Keeping 2 leaves an older one if the newest cannot be read.
 * @param onCommitted   called on the writer thread after each successful commit that contains
 *                      entries, with that commit's entries in sequence order (an unmodifiable list),
 *                      <em>before</em> the {@link Pending#durable()} futures of that commit complete.
 *                      Successive calls continue the sequence without gaps or repetition. Entries
 *                      whose commit failed are never passed. A listener that throws is logged and
 *                      the journal carries on. It must not block, and in particular must not wait for
 *                      a {@link Pending} future (that would wait for itself): every later commit
 *                      waits for it. It may call {@link Journal#append} (the unit is queued).
 *                      {@code null} means no listener.
 */
public record JournalOptions(int maxBatchUnits, int snapshotsKept, Consumer<List<StoredEntry>> onCommitted) {

    /** {@link #maxBatchUnits()} of {@link #defaults()}. */
    public static final int DEFAULT_MAX_BATCH_UNITS = 512;

    /** {@link #snapshotsKept()} of {@link #defaults()}. */
    public static final int DEFAULT_SNAPSHOTS_KEPT = 2;

    private static final Consumer<List<StoredEntry>> NO_LISTENER = entries -> { };

    /**
     * Checks the arguments and replaces a {@code null} listener by one that does nothing.
     *
     * @param maxBatchUnits the most units per transaction, at least 1
     * @param snapshotsKept how many snapshots are kept, at least 1
     * @param onCommitted the commit listener, or {@code null}
     */
    public JournalOptions {
        if (maxBatchUnits < 1) {
            throw new IllegalArgumentException("maxBatchUnits must be at least 1, not " + maxBatchUnits);
        }
        if (snapshotsKept < 1) {
            throw new IllegalArgumentException("snapshotsKept must be at least 1, not " + snapshotsKept);
        }
        if (onCommitted == null) {
            onCommitted = NO_LISTENER;
        }
    }

    /** @return {@value #DEFAULT_MAX_BATCH_UNITS} units per batch, {@value #DEFAULT_SNAPSHOTS_KEPT} snapshots kept, no listener */
    public static JournalOptions defaults() {
        return new JournalOptions(DEFAULT_MAX_BATCH_UNITS, DEFAULT_SNAPSHOTS_KEPT, null);
    }

    /**
     * @param listener the new {@link #onCommitted()} listener, or {@code null} for none
     * @return a copy of these options with that listener
     */
    public JournalOptions withOnCommitted(Consumer<List<StoredEntry>> listener) {
        return new JournalOptions(maxBatchUnits, snapshotsKept, listener);
    }

    /**
     * @param units the new {@link #maxBatchUnits()}
     * @return a copy of these options with that batch limit
     */
    public JournalOptions withMaxBatchUnits(int units) {
        return new JournalOptions(units, snapshotsKept, onCommitted);
    }

    /**
     * @param count the new {@link #snapshotsKept()}
     * @return a copy of these options keeping that many snapshots
     */
    public JournalOptions withSnapshotsKept(int count) {
        return new JournalOptions(maxBatchUnits, count, onCommitted);
    }
}
