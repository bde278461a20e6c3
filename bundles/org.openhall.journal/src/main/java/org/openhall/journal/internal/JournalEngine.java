package org.openhall.journal.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.openhall.journal.Entry;
import org.openhall.journal.JournalCorruptException;
import org.openhall.journal.JournalException;
import org.openhall.journal.JournalOptions;
import org.openhall.journal.JournalStats;
import org.openhall.journal.Pending;
import org.openhall.journal.RequestRecord;
import org.openhall.journal.Snapshot;
import org.openhall.journal.StoredEntry;
import org.openhall.journal.StoredRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The implementation behind {@link org.openhall.journal.Journal}.
 *
 * <p>Threads: callers only take {@link #lock} briefly to assign sequence numbers and queue a task,
 * so {@link #append} never waits for I/O. One writer thread owns the write connection: it takes
 * every queued unit (up to {@code maxBatchUnits}) and writes them in one transaction, so callers
 * that append while a commit is in progress share the next fsync (group commit). No artificial
 * delay is added: a lone caller gets its own commit at once. Snapshots, prunes and test actions
 * are queued in the same FIFO and run alone, so they see every unit queued before them. Reads use
 * a second, read-only connection (WAL lets it read while the writer writes), serialised by
 * {@link #readLock}.
 */
public final class JournalEngine {

    private static final Logger LOG = LoggerFactory.getLogger(JournalEngine.class);

    private static final String SELECT_ENTRIES =
            "SELECT seq, unit_last, type, time_ms, request_id, payload, crc FROM entry WHERE seq > ? ORDER BY seq";
    private static final String SELECT_REQUEST = "SELECT request_id, fingerprint, first_seq, last_seq, after_seq,"
            + " recorded_at, result, crc FROM request";

    private final Path file;
    private final JournalOptions options;
    private final FileGuard guard;

    /*
     * The write connection and its statements: used by the writer thread while it runs, then by
     * the thread that releases the resources after the writer ended.
     */
    private final Connection writeConn;
    private final Statement control;
    private final PreparedStatement insertEntry;
    private final PreparedStatement insertRequest;
    private final PreparedStatement updateHighSeq;
    private final PreparedStatement insertSnapshot;
    private final PreparedStatement trimSnapshots;
    private final PreparedStatement deleteEntries;
    private final PreparedStatement deleteRequests;

    private final Connection readConn;
    private final ReentrantLock readLock = new ReentrantLock();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workQueued = lock.newCondition();
    /* Guarded by lock. */
    private final ArrayDeque<Task> queue = new ArrayDeque<>();
    private long lastSeq;
    private boolean closeRequested;
    private boolean releaseOnWriterExit;
    private JournalException failure;
    /*
     * Whether the failure can never be resumed from (damage, a rollback that failed, the writer
     * thread stopped): the journal must then be closed and opened again.
     */
    private boolean failurePermanent;

    /* Writer thread only: the highest seq committed, where lastSeq goes back to when writing fails. */
    private long committedSeq;

    private volatile boolean failed;
    private volatile boolean closing;
    /* Guarded by this. */
    private boolean released;

    private final Stats stats = new Stats();
    private final Thread writer;
    /** {@code null} unless a test asked for it (see {@link StallHook}). */
    private final StallHook stallHook;

    private JournalEngine(Path file, JournalOptions options, FileGuard guard, Connection writeConn,
            Connection readConn, long lastSeq) throws SQLException {
        this.file = file;
        this.options = options;
        this.guard = guard;
        this.writeConn = writeConn;
        this.readConn = readConn;
        this.lastSeq = lastSeq;
        this.committedSeq = lastSeq;
        this.control = writeConn.createStatement();
        this.insertEntry = writeConn.prepareStatement(Schema.INSERT_ENTRY);
        this.insertRequest = writeConn.prepareStatement(Schema.INSERT_REQUEST);
        this.updateHighSeq = writeConn.prepareStatement(Schema.UPDATE_HIGH_SEQ);
        this.insertSnapshot = writeConn.prepareStatement(Schema.INSERT_SNAPSHOT);
        this.trimSnapshots = writeConn.prepareStatement(
                "DELETE FROM snapshot WHERE seq NOT IN (SELECT seq FROM snapshot ORDER BY seq DESC LIMIT ?)");
        this.deleteEntries = writeConn.prepareStatement("DELETE FROM entry WHERE seq < ?");
        this.deleteRequests = writeConn.prepareStatement("DELETE FROM request WHERE recorded_at < ?");
        this.writer = new Thread(this::runWriter, "journal-writer-" + file.getFileName());
        this.writer.setDaemon(true);
        this.stallHook = StallHook.forJournal(file);
    }

    // ---------------------------------------------------------------------------------------------
    // Opening

    /** See {@link org.openhall.journal.Journal#open}. */
    public static JournalEngine open(Path path, JournalOptions options) throws JournalException {
        Objects.requireNonNull(path, "file");
        Objects.requireNonNull(options, "options");
        Path file = path.toAbsolutePath().normalize();
        Sqlite.checkPath(file);
        try {
            Sqlite.createDirectoriesDurably(file.getParent());
        } catch (IOException e) {
            throw new JournalException("journal " + file + ": cannot create its folder: " + e, e);
        }
        if (Files.isDirectory(file)) {
            throw new JournalException("journal " + file + " is a directory, not a database file");
        }
        FileGuard guard = FileGuard.acquire(file);
        Connection write = null;
        Connection read = null;
        try {
            boolean created = false;
            if (Sqlite.sizeOrZero(file) == 0) {
                if (Sqlite.sizeOrZero(Sqlite.walFile(file)) > 0) {
                    // SQLite would delete the log of an empty database file: refuse instead.
                    throw new JournalCorruptException(file, "journal " + file + " is empty but its write-ahead log "
                            + Sqlite.walFile(file) + " is not; both were left untouched", null);
                }
                createNew(file);
                created = true;
            }
            preflight(file);
            write = Sqlite.open(file, false);
            Sqlite.configureWriter(write, file);
            Schema.createOrCheck(write, file);
            long high = Schema.highestSeq(write);
            read = Sqlite.open(file, true);
            Sqlite.exec(read, "PRAGMA cell_size_check = ON");
            JournalEngine engine = new JournalEngine(file, options, guard, write, read, high);
            engine.writer.start();
            LOG.info("Journal {} {}: lastSeq {}, schema version {}", file, created ? "created" : "opened", high, Schema.VERSION);
            return engine;
        } catch (SQLException | IOException | JournalException | RuntimeException | Error e) {
            closeQuietly(read);
            closeQuietly(write);
            guard.close();
            if (e instanceof SQLException sql) {
                throw withSalvageHint(Sqlite.failure(file, "opening", sql));
            }
            if (e instanceof IOException) {
                throw new JournalException("journal " + file + ": opening failed: " + e, e);
            }
            if (e instanceof JournalException je) {
                throw je;
            }
            if (e instanceof Error err) {
                throw err;
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * Creates a new journal atomically: the schema is written into {@code <file>.creating}, which is
     * then synced and renamed to {@code file}. A crash while creating leaves only that temporary
     * file (replaced on the next attempt), never a half-initialised journal.
     */
    private static void createNew(Path file) throws IOException, SQLException, JournalException {
        Path temp = file.resolveSibling(file.getFileName() + ".creating");
        for (Path p : List.of(temp, Sqlite.walFile(temp), Sqlite.shmFile(temp),
                temp.resolveSibling(temp.getFileName() + "-journal"))) {
            Files.deleteIfExists(p);
        }
        try (Connection c = Sqlite.open(temp, false)) {
            // Written in rollback-journal mode, so that the schema lands in the database file
            // itself; switching to WAL afterwards only changes the header.
            Sqlite.exec(c, "PRAGMA synchronous = FULL");
            Schema.createOrCheck(c, temp);
            Sqlite.configureWriter(c, temp);
        }
        if (Sqlite.sizeOrZero(Sqlite.walFile(temp)) > 0) {
            throw new JournalException("journal " + file + ": SQLite left a write-ahead log behind while creating " + temp);
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(Sqlite.shmFile(temp));
        Sqlite.fsyncDirectory(file.getParent());
    }

    /**
     * Checks an existing file on a read-only connection, which never writes the database file:
     * a damaged file must stay exactly as it is for salvage and analysis.
     */
    private static void preflight(Path file) throws JournalException {
        Sqlite.checkHeader(file);
        try (Connection c = Sqlite.open(file, true)) {
            List<String> problems = Sqlite.quickCheck(c);
            if (!problems.equals(List.of("ok"))) {
                throw withSalvageHint(new JournalCorruptException(file, "journal " + file
                        + " is damaged: PRAGMA quick_check said: " + summary(problems), null));
            }
            Schema.check(c, file);
        } catch (SQLException e) {
            throw withSalvageHint(Sqlite.failure(file, "checking", e));
        }
    }

    private static JournalException withSalvageHint(JournalException e) {
        if (!(e instanceof JournalCorruptException corrupt)) {
            return e;
        }
        return new JournalCorruptException(corrupt.getFile(), e.getMessage() + ". The file was left untouched;"
                + " copy its valid prefix into a new journal with: java -cp <org.openhall.journal jar>:<sqlite-jdbc jar>"
                + " org.openhall.journal.Salvage " + corrupt.getFile() + " <new file>", e.getCause());
    }

    private static String summary(List<String> lines) {
        List<String> shown = lines.size() > 5 ? lines.subList(0, 5) : lines;
        return String.join("; ", shown).replace('\n', ' ') + (lines.size() > 5 ? "; ... (" + lines.size() + " lines)" : "");
    }

    // ---------------------------------------------------------------------------------------------
    // Public operations (see Journal for their contracts)

    public Path file() {
        return file;
    }

    public long lastSeq() {
        lock.lock();
        try {
            return lastSeq;
        } finally {
            lock.unlock();
        }
    }

    public Pending append(List<Entry> entries, RequestRecord request) throws JournalException {
        Objects.requireNonNull(entries, "entries");
        List<Entry> copies = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            Objects.requireNonNull(e, "entries must not contain null");
            // Copied: the caller may reuse its arrays while the unit waits for the writer.
            copies.add(new Entry(e.type(), e.timeMillis(), e.payload().clone()));
        }
        if (copies.isEmpty() && request == null) {
            throw new IllegalArgumentException("a unit needs at least one entry or a request record");
        }
        RequestRecord requestCopy = request == null ? null
                : new RequestRecord(request.requestId(), request.fingerprint(),
                        request.result() == null ? null : request.result().clone());
        long now = System.currentTimeMillis();
        lock.lock();
        try {
            checkWritable();
            long first = lastSeq + 1;
            long last = lastSeq + copies.size();
            Unit unit = new Unit(first, last, lastSeq, List.copyOf(copies), requestCopy, now, new CompletableFuture<>());
            lastSeq = last;
            queue.addLast(unit);
            workQueued.signal();
            return new Pending(first, last, unit.durable());
        } finally {
            lock.unlock();
        }
    }

    public void saveSnapshot(long seq, long timeMillis, byte[] state) throws JournalException {
        Objects.requireNonNull(state, "state");
        if (seq < 0) {
            throw new IllegalArgumentException("snapshot seq must not be negative: " + seq);
        }
        byte[] copy = state.clone();
        lock.lock();
        try {
            checkWritable();
            if (seq > lastSeq) {
                throw new IllegalArgumentException("snapshot seq " + seq + " is beyond lastSeq " + lastSeq);
            }
            enqueue(new SnapshotTask(seq, timeMillis, copy, new CompletableFuture<>()));
        } finally {
            lock.unlock();
        }
    }

    public CompletableFuture<Void> prune(long keepFromSeq, long olderThanMillis) {
        lock.lock();
        try {
            checkWritable();
            PruneTask task = new PruneTask(keepFromSeq, olderThanMillis, new CompletableFuture<>());
            enqueue(task);
            return task.done();
        } catch (JournalException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code action} on the writer thread with the write connection, after everything queued
     * before; also while the journal has failed in a way {@link #resume} may end (tests use it
     * to make room again).
     */
    public <T> CompletableFuture<T> onWriter(SqlAction<T> action) {
        Objects.requireNonNull(action, "action");
        lock.lock();
        try {
            if (closeRequested) {
                throw new JournalException("journal " + file + " is closed");
            }
            if (failure != null && failurePermanent) {
                throw permanentFailure();
            }
            WriterAction<T> task = new WriterAction<>(action, new CompletableFuture<>());
            enqueue(task);
            return task.done();
        } catch (JournalException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            lock.unlock();
        }
    }

    /** See {@link org.openhall.journal.Journal#resume()}. */
    public CompletableFuture<Boolean> resume() {
        lock.lock();
        try {
            if (closeRequested) {
                return CompletableFuture.failedFuture(new JournalException("journal " + file + " is closed"));
            }
            if (failure != null && failurePermanent) {
                return CompletableFuture.failedFuture(permanentFailure());
            }
            ResumeTask task = new ResumeTask(new CompletableFuture<>());
            enqueue(task);
            return task.done();
        } finally {
            lock.unlock();
        }
    }

    /** Caller holds {@link #lock}. */
    private JournalException permanentFailure() {
        return new JournalException("journal " + file + " has failed and cannot resume: " + failure.getMessage()
                + "; close it and open it again once the cause is fixed", failure);
    }

    public void replay(long afterSeq, Consumer<StoredEntry> consumer) throws JournalException {
        replay(afterSeq, Integer.MAX_VALUE, consumer);
    }

    public void replay(long afterSeq, int limit, Consumer<StoredEntry> consumer) throws JournalException {
        Objects.requireNonNull(consumer, "consumer");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        read("replaying entries after seq " + afterSeq, c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT_ENTRIES + " LIMIT ?")) {
                ps.setLong(1, afterSeq);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    long previous = -1;
                    while (rs.next()) {
                        StoredEntry entry = readEntry(rs);
                        if (previous >= 0 && entry.seq() != previous + 1) {
                            throw new JournalCorruptException(file, "journal " + file + ": entry seq " + (previous + 1)
                                    + " is missing (the next entry present is " + entry.seq() + ")", null);
                        }
                        previous = entry.seq();
                        consumer.accept(entry);
                    }
                }
            }
            return null;
        });
    }

    public Optional<StoredRequest> request(String requestId) throws JournalException {
        Objects.requireNonNull(requestId, "requestId");
        return read("reading request " + requestId, c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT_REQUEST + " WHERE request_id = ?")) {
                ps.setString(1, requestId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(readRequest(rs)) : Optional.empty();
                }
            }
        });
    }

    public long firstSeqAtOrAfter(long timeMillis, long none) throws JournalException {
        return read("finding the first entry at or after " + timeMillis, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT min(seq) FROM entry WHERE time_ms >= ?")) {
                ps.setLong(1, timeMillis);
                try (ResultSet rs = ps.executeQuery()) {
                    long seq = rs.next() ? rs.getLong(1) : 0;
                    return seq == 0 ? none : seq;
                }
            }
        });
    }

    public List<StoredRequest> requestsSince(long sinceMillis) throws JournalException {
        return readRequests("reading requests recorded since " + sinceMillis,
                SELECT_REQUEST + " WHERE recorded_at >= ? ORDER BY after_seq, rowid", sinceMillis);
    }

    public List<StoredRequest> requestsAfter(long afterSeq) throws JournalException {
        return readRequests("reading requests after seq " + afterSeq, SELECT_REQUEST
                + " WHERE (first_seq > 0 AND last_seq > ?1) OR (first_seq = 0 AND after_seq >= ?1) ORDER BY after_seq, rowid",
                afterSeq);
    }

    public Optional<Snapshot> latestSnapshot() throws JournalException {
        return read("reading the latest snapshot", c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT seq, time_ms, state, crc FROM snapshot ORDER BY seq DESC LIMIT 1")) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Snapshot snapshot = new Snapshot(rs.getLong(1), rs.getLong(2), Sqlite.nonNull(rs.getBytes(3)));
                if (Checksums.snapshot(snapshot.seq(), snapshot.timeMillis(), snapshot.state()) != rs.getLong(4)) {
                    throw new JournalCorruptException(file, "journal " + file + ": the snapshot at seq " + snapshot.seq()
                            + " fails its checksum", null);
                }
                return Optional.of(snapshot);
            }
        });
    }

    public boolean isFailed() {
        return failed;
    }

    public JournalStats stats() {
        return stats.snapshot(failed);
    }

    public void close() {
        lock.lock();
        try {
            closing = true;
            if (!closeRequested) {
                closeRequested = true;
                workQueued.signalAll();
            }
            if (Thread.currentThread() == writer) {
                // Called from an onCommitted listener or a future's callback: the writer cannot
                // join itself. It drains the queue and releases everything when its loop ends.
                releaseOnWriterExit = true;
                return;
            }
        } finally {
            lock.unlock();
        }
        if (writer.getState() != Thread.State.NEW) {
            joinWriter();
        }
        releaseResources();
    }

    // ---------------------------------------------------------------------------------------------
    // Writer thread

    private void runWriter() {
        List<? extends Task> batch = List.of();
        try {
            while ((batch = nextBatch()) != null) {
                if (stallHook != null) {
                    stallHook.awaitNoStall();
                }
                if (batch.get(0) instanceof Unit) {
                    @SuppressWarnings("unchecked")
                    List<Unit> units = (List<Unit>) batch;
                    writeUnits(units);
                } else {
                    runTask(batch.get(0));
                }
            }
        } catch (Throwable t) {
            // A bug or an Error such as OutOfMemoryError: fail loudly rather than leave callers
            // waiting for futures that would never complete.
            failJournal(new JournalException("journal " + file + ": the writer thread stopped: " + t, t),
                    batch == null ? List.of() : batch, true);
        } finally {
            boolean release;
            lock.lock();
            try {
                release = releaseOnWriterExit;
            } finally {
                lock.unlock();
            }
            if (release) {
                releaseResources();
            }
        }
    }

    /**
     * Waits for work. Returns every queued unit up to {@code maxBatchUnits} (stopping before the
     * first task that is not a unit), or that task alone, or {@code null} when the writer should
     * stop: closing and nothing left, or failed for good. After a failure that may go away (a
     * full disk) the writer keeps waiting: for {@link #resume} tasks, as appends are refused.
     */
    private List<Task> nextBatch() {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (closeRequested || (failure != null && failurePermanent)) {
                    return null;
                }
                workQueued.awaitUninterruptibly();
            }
            if (!(queue.peekFirst() instanceof Unit)) {
                return List.of(queue.pollFirst());
            }
            List<Task> batch = new ArrayList<>(Math.min(queue.size(), options.maxBatchUnits()));
            while (batch.size() < options.maxBatchUnits() && queue.peekFirst() instanceof Unit) {
                batch.add(queue.pollFirst());
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /**
     * One transaction for all units: entries, request records, high-water mark, then COMMIT.
     *
     * <p>Transactions are explicit SQL ({@code BEGIN IMMEDIATE} ... {@code COMMIT}) with the JDBC
     * connection left in auto-commit mode: sqlite-jdbc's {@code setAutoCommit(false)} would begin
     * the next transaction right after each commit and hold the write lock while idle. Inside an
     * explicit transaction sqlite-jdbc's auto-commit does not commit (its own {@code BEGIN} fails
     * and it leaves the transaction alone), so the unit stays atomic. {@code IMMEDIATE} takes the
     * write lock at the start, so a lock conflict shows up before anything was written.
     */
    private void writeUnits(List<Unit> units) {
        List<StoredEntry> committed = new ArrayList<>();
        List<Unit> withRequest = new ArrayList<>();
        List<String> duplicates = new ArrayList<>();
        long commitNanos;
        try {
            control.execute("BEGIN IMMEDIATE");
            long highSeq = 0;
            for (Unit unit : units) {
                RequestRecord request = unit.request();
                String requestId = request == null ? null : request.requestId();
                long seq = unit.firstSeq();
                for (Entry e : unit.entries()) {
                    insertEntry.setLong(1, seq);
                    insertEntry.setLong(2, unit.lastSeq());
                    insertEntry.setString(3, e.type());
                    insertEntry.setLong(4, e.timeMillis());
                    Sqlite.setNullableString(insertEntry, 5, requestId);
                    insertEntry.setBytes(6, e.payload());
                    insertEntry.setLong(7, Checksums.entry(seq, unit.lastSeq(), e.type(), e.timeMillis(), requestId, e.payload()));
                    insertEntry.addBatch();
                    committed.add(new StoredEntry(seq, e.type(), e.timeMillis(), requestId, e.payload()));
                    seq++;
                }
                if (!unit.entries().isEmpty()) {
                    highSeq = unit.lastSeq();
                }
                if (request != null) {
                    long first = unit.entries().isEmpty() ? 0 : unit.firstSeq();
                    long last = unit.entries().isEmpty() ? 0 : unit.lastSeq();
                    insertRequest.setString(1, request.requestId());
                    insertRequest.setString(2, request.fingerprint());
                    insertRequest.setLong(3, first);
                    insertRequest.setLong(4, last);
                    insertRequest.setLong(5, unit.afterSeq());
                    insertRequest.setLong(6, unit.recordedAt());
                    Sqlite.setNullableBytes(insertRequest, 7, request.result());
                    insertRequest.setLong(8, Checksums.request(request.requestId(), request.fingerprint(), first, last,
                            unit.afterSeq(), unit.recordedAt(), request.result()));
                    insertRequest.addBatch();
                    withRequest.add(unit);
                }
            }
            if (!committed.isEmpty()) {
                insertEntry.executeBatch();
                updateHighSeq.setLong(1, highSeq);
                updateHighSeq.executeUpdate();
            }
            if (!withRequest.isEmpty()) {
                // INSERT OR IGNORE: a request id that already has a record keeps its first record
                // (the caller guarantees uniqueness; a duplicate must not fail the whole batch).
                int[] counts = insertRequest.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] == 0) {
                        duplicates.add(withRequest.get(i).request().requestId());
                    }
                }
            }
            long start = System.nanoTime();
            control.execute("COMMIT");
            commitNanos = System.nanoTime() - start;
        } catch (SQLException | RuntimeException e) {
            // On SQLITE_FULL SQLite has rolled the statement or the whole transaction back and the
            // connection stays usable: after the rollback the file holds exactly what was
            // committed before, and writing may be tried again once there is space (resume).
            boolean rolledBack = rollbackQuietly();
            // A JDBC batch that was not executed (the request records, when the entries failed)
            // stays in its statement: it must not be written with the next transaction.
            rolledBack &= clearBatchQuietly(insertEntry) & clearBatchQuietly(insertRequest);
            String what = "writing " + units.size() + " unit(s) from seq " + units.get(0).firstSeq() + " to "
                    + units.get(units.size() - 1).lastSeq();
            JournalException failure = e instanceof SQLException sql ? Sqlite.failure(file, what, sql)
                    : new JournalException("journal " + file + ": " + what + " failed: " + e, e);
            boolean mayResume = rolledBack && e instanceof SQLException sql && Sqlite.isTransient(sql);
            failJournal(failure, units, !mayResume);
            return;
        }
        committedSeq = Math.max(committedSeq, units.get(units.size() - 1).lastSeq());
        stats.commit(units.size(), committed.size(), commitNanos);
        if (!duplicates.isEmpty()) {
            LOG.warn("Journal {}: request id(s) {} already had a record; the first record was kept", file, duplicates);
        }
        if (!committed.isEmpty()) {
            try {
                options.onCommitted().accept(Collections.unmodifiableList(committed));
            } catch (Throwable t) {
                LOG.error("Journal {}: the onCommitted listener threw for seq {} to {}; the journal carries on", file,
                        committed.get(0).seq(), committed.get(committed.size() - 1).seq(), t);
            }
        }
        for (Unit unit : units) {
            unit.durable().complete(null);
        }
    }

    private void runTask(Task task) {
        if (task instanceof SnapshotTask t) {
            runInTransaction(t, "saving the snapshot at seq " + t.seq(), () -> {
                insertSnapshot.setLong(1, t.seq());
                insertSnapshot.setLong(2, t.timeMillis());
                insertSnapshot.setBytes(3, t.state());
                insertSnapshot.setLong(4, Checksums.snapshot(t.seq(), t.timeMillis(), t.state()));
                insertSnapshot.executeUpdate();
                trimSnapshots.setInt(1, options.snapshotsKept());
                trimSnapshots.executeUpdate();
                LOG.debug("Journal {}: snapshot at seq {} saved ({} bytes)", file, t.seq(), t.state().length);
            });
        } else if (task instanceof PruneTask t) {
            runInTransaction(t, "pruning", () -> {
                long newestSnapshot = Sqlite.queryLong(writeConn, "SELECT coalesce(max(seq), -1) FROM snapshot");
                // Never delete what no snapshot covers: without a snapshot nothing is deleted.
                long limit = newestSnapshot < 0 ? 0 : Math.min(t.keepFromSeq(), newestSnapshot + 1);
                deleteEntries.setLong(1, limit);
                int entries = deleteEntries.executeUpdate();
                deleteRequests.setLong(1, t.olderThanMillis());
                int requests = deleteRequests.executeUpdate();
                LOG.debug("Journal {}: pruned {} entries below seq {} and {} request records", file, entries, limit, requests);
            });
        } else if (task instanceof WriterAction<?> t) {
            t.run(writeConn);
        } else if (task instanceof ResumeTask t) {
            runResume(t);
        } else {
            throw new IllegalStateException("unknown task " + task);
        }
    }

    /**
     * Runs a snapshot or prune in its own transaction. Its failure is not fatal: losing a snapshot
     * or a prune loses no acknowledged data, so the journal carries on (an appended unit that
     * fails afterwards, for example on a full disk, still fails the journal). Only when the
     * transaction cannot even be rolled back does the journal fail.
     */
    private void runInTransaction(Task task, String what, SqlBody body) {
        try {
            control.execute("BEGIN IMMEDIATE");
            body.run();
            control.execute("COMMIT");
            task.complete();
        } catch (SQLException | RuntimeException e) {
            JournalException failure = e instanceof SQLException sql ? Sqlite.failure(file, what, sql)
                    : new JournalException("journal " + file + ": " + what + " failed: " + e, e);
            if (rollbackQuietly()) {
                LOG.error("{}; the journal carries on", failure.getMessage(), e);
                task.fail(failure);
            } else {
                failJournal(failure, List.of(task), true);
            }
        }
    }

    /**
     * Leaves a failure that may go away once a probe transaction commits: it writes and deletes a
     * row of {@code meta} (no net change, but real pages go to the write-ahead log and are
     * fsynced, as in an append; a no-op UPDATE would write nothing), so a disk that is still full
     * fails it with SQLITE_FULL. Appends continue at {@code committedSeq + 1}.
     */
    private void runResume(ResumeTask t) {
        lock.lock();
        try {
            if (failure == null) {
                t.done().complete(true); // everything queued before has been written
                return;
            }
            if (failurePermanent) {
                t.done().completeExceptionally(permanentFailure());
                return;
            }
        } finally {
            lock.unlock();
        }
        try {
            control.execute("BEGIN IMMEDIATE");
            control.executeUpdate("INSERT INTO meta (key, value) VALUES ('resume-probe', 0)");
            control.executeUpdate("DELETE FROM meta WHERE key = 'resume-probe'");
            control.execute("COMMIT");
        } catch (SQLException | RuntimeException e) {
            boolean rolledBack = rollbackQuietly();
            if (rolledBack && e instanceof SQLException sql && Sqlite.isTransient(sql)) {
                LOG.debug("Journal {}: still cannot write: {}", file, e.getMessage());
                t.done().complete(false);
                return;
            }
            JournalException cause = e instanceof SQLException sql ? Sqlite.failure(file, "probing whether it can write", sql)
                    : new JournalException("journal " + file + ": probing whether it can write failed: " + e, e);
            lock.lock();
            try {
                failure = cause;
                failurePermanent = true;
            } finally {
                lock.unlock();
            }
            LOG.error("Journal {} has FAILED for good: {}. Close it and open it again once the cause is fixed.", file,
                    cause.getMessage(), cause);
            t.done().completeExceptionally(cause);
            return;
        }
        long next;
        lock.lock();
        try {
            failure = null;
            failed = false;
            next = lastSeq + 1;
        } finally {
            lock.unlock();
        }
        LOG.warn("Journal {} can write again: appends continue at seq {}", file, next);
        t.done().complete(true);
    }

    /** @return whether the statement's batch is empty now */
    private static boolean clearBatchQuietly(PreparedStatement statement) {
        try {
            statement.clearBatch();
            return true;
        } catch (SQLException e) {
            LOG.warn("Clearing a JDBC batch failed: {}", e.toString());
            return false;
        }
    }

    /** @return whether no transaction is left open */
    private boolean rollbackQuietly() {
        try {
            control.execute("ROLLBACK");
            return true;
        } catch (SQLException e) {
            // After some errors (an I/O error during COMMIT, for instance) SQLite has already
            // rolled back: then there is nothing left to roll back.
            String message = String.valueOf(e.getMessage());
            return message.contains("no transaction is active");
        }
    }

    /**
     * The journal fails: the failed transaction's tasks and everything queued after them complete
     * exceptionally, later calls throw. Nothing is dropped silently. The sequence numbers of the
     * units that were not written are given back ({@code lastSeq} returns to the last committed
     * seq), so the sequence in the file stays without gaps when writing resumes.
     *
     * @param permanent whether {@link #resume} can never end this failure
     */
    private void failJournal(JournalException cause, List<? extends Task> inFlight, boolean permanent) {
        List<Task> queued;
        long durable;
        lock.lock();
        try {
            if (failure == null) {
                failure = cause;
            }
            failurePermanent |= permanent;
            failed = true;
            queued = new ArrayList<>(queue);
            queue.clear();
            lastSeq = committedSeq;
            durable = lastSeq;
        } finally {
            lock.unlock();
        }
        if (permanent) {
            LOG.error("Journal {} has FAILED and accepts no more operations: {}. {} operation(s) of the failed transaction"
                    + " and {} queued after it were not written: their futures complete exceptionally. Close the journal"
                    + " and open it again once the cause is fixed.", file, cause.getMessage(), inFlight.size(), queued.size(), cause);
        } else {
            LOG.error("Journal {} cannot write: {}. {} operation(s) of the failed transaction and {} queued after it were"
                    + " not written: their futures complete exceptionally. Appends are refused until resume() finds the"
                    + " journal writable again; the last durable seq is {}.", file, cause.getMessage(), inFlight.size(),
                    queued.size(), durable, cause);
        }
        for (Task task : inFlight) {
            task.fail(cause);
        }
        JournalException later = new JournalException("journal " + file + " failed before this operation was written: "
                + cause.getMessage(), cause);
        for (Task task : queued) {
            if (task instanceof ResumeTask resume && !permanent) {
                resume.done().complete(false); // not writable now; the caller tries again later
            } else {
                task.fail(later);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    /** Caller holds {@link #lock}. */
    private void checkWritable() throws JournalException {
        if (closeRequested) {
            throw new JournalException("journal " + file + " is closed");
        }
        if (failure != null) {
            throw new JournalException("journal " + file + " has failed: " + failure.getMessage(), failure);
        }
    }

    /** Caller holds {@link #lock}. */
    private void enqueue(Task task) {
        queue.addLast(task);
        workQueued.signal();
    }

    private <T> T read(String what, SqlAction<T> action) throws JournalException {
        readLock.lock();
        try {
            if (closing) {
                throw new JournalException("journal " + file + " is closed");
            }
            return action.apply(readConn);
        } catch (SQLException e) {
            throw Sqlite.failure(file, what, e);
        } finally {
            readLock.unlock();
        }
    }

    private List<StoredRequest> readRequests(String what, String sql, long parameter) throws JournalException {
        return read(what, c -> {
            List<StoredRequest> result = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, parameter);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.add(readRequest(rs));
                    }
                }
            }
            return result;
        });
    }

    private StoredEntry readEntry(ResultSet rs) throws SQLException, JournalException {
        long seq = rs.getLong(1);
        long unitLast = rs.getLong(2);
        String type = rs.getString(3);
        long time = rs.getLong(4);
        String requestId = rs.getString(5);
        byte[] payload = Sqlite.nonNull(rs.getBytes(6));
        if (type == null || Checksums.entry(seq, unitLast, type, time, requestId, payload) != rs.getLong(7)) {
            throw new JournalCorruptException(file, "journal " + file + ": entry seq " + seq + " fails its checksum", null);
        }
        return new StoredEntry(seq, type, time, requestId, payload);
    }

    /** Reads the columns of {@link #SELECT_REQUEST}. */
    private StoredRequest readRequest(ResultSet rs) throws SQLException, JournalException {
        String requestId = rs.getString(1);
        String fingerprint = rs.getString(2);
        long first = rs.getLong(3);
        long last = rs.getLong(4);
        long after = rs.getLong(5);
        long recordedAt = rs.getLong(6);
        byte[] result = rs.getBytes(7);
        if (requestId == null || fingerprint == null
                || Checksums.request(requestId, fingerprint, first, last, after, recordedAt, result) != rs.getLong(8)) {
            throw new JournalCorruptException(file, "journal " + file + ": the record of request " + requestId
                    + " fails its checksum", null);
        }
        return new StoredRequest(requestId, fingerprint, first, last, recordedAt, result);
    }

    private void joinWriter() {
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                // The journal must be closed completely (no thread left behind): keep waiting,
                // and restore the interrupt for the caller afterwards.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Closes the read connection first and the write connection last: the last connection to
     * close checkpoints the WAL into the database file and deletes the log, so a closed journal
     * is one self-contained file.
     */
    private synchronized void releaseResources() {
        if (released) {
            return;
        }
        released = true;
        readLock.lock();
        try {
            closeQuietly(readConn);
        } finally {
            readLock.unlock();
        }
        for (Statement s : List.of(control, insertEntry, insertRequest, updateHighSeq, insertSnapshot, trimSnapshots,
                deleteEntries, deleteRequests)) {
            closeQuietly(s);
        }
        closeQuietly(writeConn);
        guard.close();
        LOG.info("Journal {} closed at lastSeq {}{}", file, lastSeq(), failed ? " (it had failed)" : "");
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("Closing {} failed: {}", closeable, e.toString());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Tasks

    /** Work for a JDBC connection. */
    @FunctionalInterface
    public interface SqlAction<T> {
        T apply(Connection c) throws SQLException, JournalException;
    }

    @FunctionalInterface
    private interface SqlBody {
        void run() throws SQLException;
    }

    private sealed interface Task permits Unit, SnapshotTask, PruneTask, WriterAction, ResumeTask {
        void fail(JournalException e);

        default void complete() {
        }
    }

    /** One call of append: its entries and request record are written in the same transaction. */
    private record Unit(long firstSeq, long lastSeq, long afterSeq, List<Entry> entries, RequestRecord request,
            long recordedAt, CompletableFuture<Void> durable) implements Task {
        @Override
        public void fail(JournalException e) {
            durable.completeExceptionally(e);
        }
    }

    private record SnapshotTask(long seq, long timeMillis, byte[] state, CompletableFuture<Void> done) implements Task {
        @Override
        public void fail(JournalException e) {
            done.completeExceptionally(e);
        }

        @Override
        public void complete() {
            done.complete(null);
        }
    }

    private record PruneTask(long keepFromSeq, long olderThanMillis, CompletableFuture<Void> done) implements Task {
        @Override
        public void fail(JournalException e) {
            done.completeExceptionally(e);
        }

        @Override
        public void complete() {
            done.complete(null);
        }
    }

    /** {@link #resume}: completes with whether the journal accepts appends. */
    private record ResumeTask(CompletableFuture<Boolean> done) implements Task {
        @Override
        public void fail(JournalException e) {
            done.completeExceptionally(e);
        }
    }

    private record WriterAction<T>(SqlAction<T> action, CompletableFuture<T> done) implements Task {
        @Override
        public void fail(JournalException e) {
            done.completeExceptionally(e);
        }

        void run(Connection c) {
            try {
                done.complete(action.apply(c));
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        }
    }

    /** Counters of append commits, updated by the writer thread. */
    private static final class Stats {
        private long units;
        private long commits;
        private long entries;
        private long commitNanos;
        private long maxCommitNanos;

        synchronized void commit(int unitCount, int entryCount, long nanos) {
            units += unitCount;
            commits++;
            entries += entryCount;
            commitNanos += nanos;
            maxCommitNanos = Math.max(maxCommitNanos, nanos);
        }

        synchronized JournalStats snapshot(boolean failed) {
            return new JournalStats(units, commits, entries, commits == 0 ? 0 : (double) entries / commits,
                    commits == 0 ? 0 : commitNanos / 1000.0 / commits, maxCommitNanos / 1000, failed);
        }
    }
}
