package org.openhall.journal;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link Journal#append} returns: the sequence numbers assigned to the unit and a future that
 * completes when the unit is durable.
 *
 * <p>{@code durable} completes normally once the unit's transaction was committed with
 * {@code synchronous=FULL} (and after {@link JournalOptions#onCommitted()} was called for it), or
 * exceptionally with a {@link JournalException} if it could not be written. It completes on the
 * journal's writer thread: dependent actions attached with the non-{@code Async} methods of
 * {@link CompletableFuture} run on that thread and delay every later commit, so keep them short or
 * use the {@code Async} variants. Only acknowledge an operation to its client after this future
 * completed normally.
 *
 * @param firstSeq the sequence number of the unit's first entry
 * @param lastSeq  the sequence number of the unit's last entry; {@code firstSeq > lastSeq} (namely
 *                 {@code lastSeq + 1}) when the unit has no entries
 * @param durable  completes when the unit is durable
 */
public record Pending(long firstSeq, long lastSeq, CompletableFuture<Void> durable) {

    /**
     * Checks the arguments.
     *
     * @param firstSeq the sequence number of the unit's first entry
     * @param lastSeq the sequence number of the unit's last entry
     * @param durable completes when the unit is durable
     */
    public Pending {
        Objects.requireNonNull(durable, "durable");
    }

    /** @return the number of entries in the unit */
    public int entryCount() {
        return (int) Math.max(0, lastSeq - firstSeq + 1);
    }
}
