package org.openhall.journal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.openhall.journal.internal.JournalEngine;

/**
 * A crash-safe, append-only journal in one SQLite file.
 *
 * <h2>Durability contract</h2>
 * <ul>
 * <li>{@link #append} assigns consecutive sequence numbers at once and returns a {@link Pending}
 * whose future completes when the unit is durable: committed in WAL mode with
 * {@code synchronous=FULL}, so the write-ahead log was fsynced. An operation may be acknowledged
 * to its client only then; it survives {@code kill -9} and power loss.</li>
 * <li>A unit (the entries and the request record of one {@code append} call) is atomic: after a
 * crash it is either wholly there or wholly absent. Units that were never acknowledged may be
 * either.</li>
 * <li>One writer thread commits every unit queued while the previous commit was running in one
 * transaction, so concurrent callers share fsyncs (group commit).</li>
 * <li>If writing fails (disk full, I/O error) the journal <em>fails</em>: the transaction is
 * rolled back, the futures of that transaction and of everything queued after it complete
 * exceptionally, later calls throw, {@link #isFailed()} is true, and {@link #lastSeq()} goes back
 * to the last durable seq (the seqs of the units not written are assigned again later, so the
 * file never has a gap). If the cause can go away (disk full, I/O error, a lock),
 * {@link #resume()} checks with a real write whether the journal can write again and then lets
 * it accept appends; otherwise (damage) close it and open it again once the cause is fixed.</li>
 * <li>A damaged or foreign file makes {@link #open} throw; the file is never deleted, truncated
 * or rewritten. {@link Salvage} copies its valid prefix into a new file.</li>
 * </ul>
 *
 * <p>All methods are thread-safe. Reads ({@link #replay}, {@link #request}, ...) use a separate
 * read-only connection and see only committed, hence durable, data.
 *
 * <p>One file is used by one {@code Journal} at a time: {@code open} takes an OS lock on
 * {@code <file>.lock} and refuses a file that is already open in this or another process.
 */
public final class Journal implements AutoCloseable {

    private final JournalEngine engine;

    private Journal(JournalEngine engine) {
        this.engine = engine;
    }

    /**
     * Opens or creates the journal file; missing parent folders are created.
     *
     * <p>An existing file is first checked on a read-only connection: a file that is not a SQLite
     * database, fails {@code PRAGMA quick_check} or lacks the journal's tables makes this method
     * throw {@link JournalCorruptException} naming the file and what SQLite said; the file is
     * never deleted, truncated or rewritten in that case. A SQLite database of another application
     * or with a newer schema version is refused with a {@link JournalException}, also untouched.
     * A new journal is created atomically (in {@code <file>.creating}, then renamed).
     *
     * <p>Then sets WAL mode and {@code synchronous=FULL} and starts one daemon writer thread named
     * {@code journal-writer-<file name>}.
     *
     * @param file    the database file
     * @param options batch size, snapshots kept, commit listener
     * @return the open journal; close it when done
     * @throws JournalCorruptException if the file is not a database or is damaged
     * @throws JournalException        if it cannot be opened for another reason (named in the message)
     */
    public static Journal open(Path file, JournalOptions options) throws JournalException {
        return new Journal(JournalEngine.open(file, options));
    }

    /** @return the journal's database file (absolute) */
    public Path file() {
        return engine.file();
    }

    /** @return the highest sequence number assigned so far (durable or pending); 0 for an empty journal */
    public long lastSeq() {
        return engine.lastSeq();
    }

    /**
     * Appends the entries as one atomic unit, together with an optional request record.
     *
     * <p>Sequence numbers are assigned now, consecutively, in call order. Callers that need a
     * global order across several calls (check, then append) call this under their own lock;
     * this method itself is thread-safe and never blocks on I/O: it only queues the unit for the
     * writer thread. Payload and result arrays are copied.
     *
     * <p>A request record with zero entries is allowed: it records the result of a refused
     * operation. If a record with the same request id already exists, the first one is kept and
     * the new one is ignored (logged as a warning); the unit's entries are still written.
     *
     * @param entries the unit's entries, possibly empty
     * @param request the request record, or {@code null}
     * @return the unit's sequence numbers and the future that completes when it is durable, or
     *         exceptionally with a {@link JournalException} if it could not be written
     * @throws JournalException         if the journal is closed or has failed
     * @throws IllegalArgumentException if there are neither entries nor a request record
     */
    public Pending append(List<Entry> entries, RequestRecord request) throws JournalException {
        return engine.append(entries, request);
    }

    /**
     * Streams the durable entries with {@code seq > afterSeq} in sequence order, from a
     * consistent view of the committed data (entries committed while streaming are not included).
     *
     * <p>If entries after {@code afterSeq} were pruned, the stream starts at the first entry
     * present: compare its {@code seq} with {@code afterSeq + 1}. Every entry is checked against
     * its checksum, and the sequence against gaps; damage stops the stream with a
     * {@link JournalCorruptException} (the entries passed before it were sound). An exception
     * thrown by the consumer ends the stream and is passed on unchanged.
     *
     * @param afterSeq the last sequence number the caller already has (0 for everything)
     * @param consumer receives each entry
     * @throws JournalException if the journal is closed or reading failed
     */
    public void replay(long afterSeq, Consumer<StoredEntry> consumer) throws JournalException {
        engine.replay(afterSeq, consumer);
    }

    /**
     * Like {@link #replay(long, Consumer)}, but at most {@code limit} entries: for readers that page
     * through the journal (the MQTT bridge catching up after a restart) while it is written.
     *
     * @param afterSeq entries with a greater seq are read, in order
     * @param limit    the most entries to read, at least 1
     * @param consumer receives each entry
     * @throws JournalException if the journal is closed, reading failed or an entry is damaged
     * @since 1.2
     */
    public void replay(long afterSeq, int limit, Consumer<StoredEntry> consumer) throws JournalException {
        engine.replay(afterSeq, limit, consumer);
    }

    /**
     * The first entry written at or after a time: where to cut when keeping a number of days.
     * Scans the entries (no index on time): meant for a daily retention run, not a hot path.
     *
     * @param timeMillis milliseconds since the epoch
     * @return the smallest seq whose entry's time is {@code >= timeMillis}, or {@code lastSeq() + 1}
     *         when there is none
     * @throws JournalException if the journal is closed or reading failed
     * @since 1.1
     */
    public long firstSeqAtOrAfter(long timeMillis) throws JournalException {
        return engine.firstSeqAtOrAfter(timeMillis, lastSeq() + 1);
    }

    /**
     * @param requestId a request id
     * @return the durable record of that request, if any (recorded and not yet pruned)
     * @throws JournalException if the journal is closed or reading failed
     */
    public Optional<StoredRequest> request(String requestId) throws JournalException {
        return engine.request(requestId);
    }

    /**
     * Returns the durable request records with {@code recordedAtMillis >= sinceMillis}, in journal
     * order: used to rebuild an in-memory idempotency map of the recent past after a restart.
     * {@code recordedAtMillis} is the wall-clock time at which {@link #append} accepted the unit.
     *
     * @param sinceMillis the oldest recording time wanted, in milliseconds since the epoch
     * @return the records, in the order their units were appended
     * @throws JournalException if the journal is closed or reading failed
     * @see #requestsAfter(long)
     */
    public List<StoredRequest> requestsSince(long sinceMillis) throws JournalException {
        return engine.requestsSince(sinceMillis);
    }

    /**
     * Returns the durable request records appended after the journal position {@code afterSeq},
     * in journal order: those whose unit has entries with {@code lastSeq > afterSeq}, and those
     * without entries that were appended when {@link #lastSeq()} was {@code >= afterSeq}. Unlike
     * {@link #requestsSince(long)} this does not depend on the wall clock: with the sequence number
     * of a snapshot it returns every request recorded after that snapshot (a record without
     * entries appended at exactly that position is included, as it may or may not be in the
     * snapshot; rebuilding an idempotency map from it twice is harmless).
     *
     * @param afterSeq a sequence number, typically a snapshot's
     * @return the records, in the order their units were appended
     * @throws JournalException if the journal is closed or reading failed
     */
    public List<StoredRequest> requestsAfter(long afterSeq) throws JournalException {
        return engine.requestsAfter(afterSeq);
    }

    /**
     * Queues a snapshot of the caller's state as of {@code seq}. The writer thread writes it
     * after every unit queued before this call, in its own transaction, and then keeps only the
     * newest {@link JournalOptions#snapshotsKept()} snapshots (by sequence number; a snapshot at
     * the same sequence number as an existing one replaces it). The state array is copied.
     *
     * <p>A snapshot that cannot be written is logged as an error and the journal carries on:
     * losing a snapshot loses no acknowledged data ({@link #prune} never deletes entries that no
     * durable snapshot covers).
     *
     * @param seq        the last sequence number included in the state; {@code 0 <= seq <= lastSeq()}
     * @param timeMillis the caller's time stamp
     * @param state      the opaque state
     * @throws JournalException         if the journal is closed or has failed
     * @throws IllegalArgumentException if {@code seq} is negative or beyond {@link #lastSeq()}
     */
    public void saveSnapshot(long seq, long timeMillis, byte[] state) throws JournalException {
        engine.saveSnapshot(seq, timeMillis, state);
    }

    /**
     * @return the durable snapshot with the highest sequence number, if any
     * @throws JournalCorruptException if it fails its checksum
     * @throws JournalException        if the journal is closed or reading failed
     */
    public Optional<Snapshot> latestSnapshot() throws JournalException {
        return engine.latestSnapshot();
    }

    /**
     * Deletes old data on the writer thread, after every operation queued before, in its own
     * transaction: entries with {@code seq < keepFromSeq}, but never beyond the newest durable
     * snapshot ({@code seq <= snapshot.seq} only; without a snapshot no entry is deleted), and
     * request records recorded before {@code olderThanMillis}. Sequence numbers never go back:
     * the highest one ever written is kept separately. The file does not shrink; SQLite reuses
     * the freed pages.
     *
     * @param keepFromSeq     the first sequence number to keep
     * @param olderThanMillis request records with {@code recordedAtMillis} below this are deleted
     * @return completes when pruned; exceptionally with a {@link JournalException} if the journal
     *         is closed or has failed, or if pruning failed (the journal then carries on)
     */
    public CompletableFuture<Void> prune(long keepFromSeq, long olderThanMillis) {
        return engine.prune(keepFromSeq, olderThanMillis);
    }

    /** @return whether writing failed; a failed journal accepts no appends until {@link #resume()} succeeds */
    public boolean isFailed() {
        return engine.isFailed();
    }

    /**
     * Tries to end a failure, for instance once space was freed on a full disk. On the writer
     * thread, after everything queued before: if the journal has not failed, completes with
     * {@code true}; otherwise runs a probe transaction that writes (and fsyncs) like an append but
     * changes nothing, and if it commits the journal accepts appends again, continuing the
     * sequence right after the last durable entry.
     *
     * <p>The owner of the journal decides when to call this: its in-memory view may be ahead of
     * the file after a failure (units it appended were not written), so it must bring that view
     * back to the durable state before it appends again, and must not append anything based on the
     * old view (a caller that appends under its own lock resumes and resyncs under that lock).
     * Never wait for the future on the writer thread (an {@code onCommitted} listener).
     *
     * @return completes with {@code true} if the journal accepts appends, {@code false} if writing
     *         still fails in a way that may go away (the disk is still full; the reason is logged
     *         at DEBUG); exceptionally with a {@link JournalException} if the journal is closed or
     *         has failed for good (damage, a transaction that could not be rolled back, the writer
     *         thread stopped): then close it and open it again once the cause is fixed
     * @since 1.3
     */
    public CompletableFuture<Boolean> resume() {
        return engine.resume();
    }

    /**
     * Asks the writer thread to answer, after everything queued before, without writing anything:
     * the health signal of the journal (a hung disk or a stuck writer never answers). The writer
     * also answers while the journal has failed in a way {@link #resume()} may end (a full disk),
     * since it is alive and retrying.
     *
     * @return completes when the writer thread reached it; exceptionally with a
     *         {@link JournalException} if the journal is closed or has failed for good
     * @since 1.4
     */
    public CompletableFuture<Void> probe() {
        return engine.<Void>onWriter(c -> null);
    }

    /** @return counters since the journal was opened */
    public JournalStats stats() {
        return engine.stats();
    }

    /**
     * Commits everything already queued, stops the writer thread (waiting for it: no thread is
     * left behind) and closes the connections and the lock. Later calls throw
     * {@link JournalException}, except {@code close}, which is idempotent.
     *
     * <p>Called on the writer thread (from an {@code onCommitted} listener or a future's
     * callback), it returns at once and the writer finishes closing when its current work is done.
     */
    @Override
    public void close() {
        engine.close();
    }

    /**
     * Test support: lets the database grow by at most {@code extraPages} more pages on the write
     * connection ({@code PRAGMA max_page_count}), so that a test can make SQLite fail with
     * SQLITE_FULL as on a full disk; a larger value makes room again, also while the journal has
     * failed. Not part of the API (package-private).
     *
     * @return completes with the new page limit
     */
    CompletableFuture<Long> limitGrowthForTesting(int extraPages) {
        return engine.onWriter(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("PRAGMA page_count")) {
                rs.next();
                long limit = rs.getLong(1) + extraPages;
                try (var rs2 = s.executeQuery("PRAGMA max_page_count = " + limit)) {
                    rs2.next();
                    return rs2.getLong(1);
                }
            }
        });
    }

    @Override
    public String toString() {
        return "Journal[" + engine.file() + "]";
    }
}
