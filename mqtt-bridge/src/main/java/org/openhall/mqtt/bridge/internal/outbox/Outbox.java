package org.openhall.mqtt.bridge.internal.outbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.openhall.mqtt.bridge.internal.outbox.OutboxMessage.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The persistent store-and-forward outbox of one broker connection (docs/mqtt.md,
 * "Store-and-forward"): one SQLite file in WAL mode with {@code synchronous=FULL}.
 *
 * <ul>
 * <li>{@link #add} returns once the messages are durable (they survive {@code kill -9} and power
 * loss); publish only what was added.</li>
 * <li>{@link #peek} gives messages in the order they were added (a gap takes the place of the
 * events it stands for); {@link #acknowledge} deletes one after the broker acknowledged it. A
 * message whose acknowledgement was not recorded is published again after a restart.</li>
 * <li>Retained state ({@link OutboxMessage#coalesced()}) is coalesced: adding it deletes the
 * queued message of the same topic, so only the newest is sent.</li>
 * <li>A byte quota: when a new message does not fit, the oldest {@link Kind#STATS} messages are
 * dropped first, then {@link Kind#STATE}, then {@link Kind#REPLY}, and only then the oldest
 * {@link Kind#EVENT}s, which are replaced, in their place, by one {@link Kind#GAP} message naming
 * the lost seq range (adjacent lost events extend the same gap).</li>
 * </ul>
 *
 * <p>Why not the journal bundle ({@code org.openhall.journal}): the journal is append-only with
 * pruning only behind a snapshot; the outbox needs to delete single messages on acknowledgement,
 * replace state per topic and drop by kind under a quota. It uses sqlite-jdbc directly, through
 * {@link SQLiteDataSource} (never {@code DriverManager}, which does not see the driver in OSGi),
 * with the journal's durability settings.
 *
 * <p>Thread-safe: every method runs under the outbox's lock on one connection.
 */
public final class Outbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    /** {@code PRAGMA application_id}: "OHOB" marks an OpenHall outbox. */
    static final int APPLICATION_ID = 0x4F484F42;
    /** 1: messages; 2: adds {@code meta} (the last queue-event seq queued, for catching up after a restart). */
    static final int SCHEMA_VERSION = 2;
    /** The {@code meta} key of the last queue-event seq queued. */
    private static final String LAST_SEQ = "lastSeq";
    /** Bytes counted per message on top of its topic and payload (row and index overhead). */
    static final int OVERHEAD = 64;
    /** The smallest quota accepted. */
    public static final long MIN_QUOTA = 1024;
    /** Default quota: 64 MiB. */
    public static final long DEFAULT_QUOTA = 64L * 1024 * 1024;

    /** Makes the payload of a gap message for the lost range {@code fromSeq}…{@code toSeq}. */
    @FunctionalInterface
    public interface GapPayload {
        byte[] of(long fromSeq, long toSeq);
    }

    private final Path file;
    private final long quota;
    private final String gapTopic;
    private final GapPayload gapPayload;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Connection db;
    private long bytes; // guarded by this
    private long dropped; // guarded by this
    private long discarded; // guarded by this
    private boolean closed; // guarded by this

    private Outbox(Path file, long quota, String gapTopic, GapPayload gapPayload, FileChannel lockChannel, FileLock lock,
            Connection db) throws SQLException {
        this.file = file;
        this.quota = quota;
        this.gapTopic = gapTopic;
        this.gapPayload = gapPayload;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.db = db;
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(size),0) FROM message")) {
            rs.next();
            bytes = rs.getLong(1);
        }
    }

    /**
     * Opens (or creates) the outbox in {@code file}.
     *
     * @param quota      most bytes kept (topics, payloads and {@value #OVERHEAD} bytes per message)
     * @param gapTopic   the topic of gap messages ({@code openhall/v1/{hallId}/events/gap})
     * @param gapPayload makes a gap message's payload
     * @throws OutboxException when the file is locked by another outbox, is not an outbox, or cannot be opened
     */
    public static Outbox open(Path file, long quota, String gapTopic, GapPayload gapPayload) {
        Objects.requireNonNull(gapTopic, "gapTopic");
        Objects.requireNonNull(gapPayload, "gapPayload");
        if (quota < MIN_QUOTA) {
            throw new IllegalArgumentException("outbox quota must be at least " + MIN_QUOTA + " bytes, got " + quota);
        }
        Path abs = file.toAbsolutePath();
        FileChannel channel = null;
        Connection db = null;
        try {
            Files.createDirectories(abs.getParent());
            channel = FileChannel.open(Path.of(abs + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new OutboxException("Outbox " + abs + " is already open (in this or another process)", null);
            }
            SQLiteConfig config = new SQLiteConfig();
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.setBusyTimeout(5000);
            SQLiteDataSource ds = new SQLiteDataSource(config);
            ds.setUrl("jdbc:sqlite:" + abs);
            db = ds.getConnection();
            prepare(db, abs);
            db.setAutoCommit(false);
            Outbox outbox = new Outbox(abs, quota, gapTopic, gapPayload, channel, lock, db);
            LOG.info("Outbox {} opened: {} messages, {} bytes (quota {})", abs, outbox.size(), outbox.bytes(), quota);
            return outbox;
        } catch (IOException | SQLException e) {
            closeQuietly(db, channel);
            throw new OutboxException("Outbox " + abs + " cannot be opened: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(db, channel);
            throw e;
        }
    }

    private static void closeQuietly(Connection db, FileChannel channel) {
        try {
            if (db != null) {
                db.close();
            }
        } catch (SQLException ignored) {
            // already failing: the first error is reported
        }
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // already failing: the first error is reported
        }
    }

    private static void prepare(Connection db, Path file) throws SQLException {
        try (Statement s = db.createStatement()) {
            int appId;
            int version;
            try (ResultSet rs = s.executeQuery("PRAGMA application_id")) {
                rs.next();
                appId = rs.getInt(1);
            }
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                rs.next();
                version = rs.getInt(1);
            }
            boolean empty;
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_schema")) {
                rs.next();
                empty = rs.getInt(1) == 0;
            }
            if (!(empty && appId == 0) && appId != APPLICATION_ID) {
                // Checked before anything is written: another application's database stays untouched.
                throw new SQLException("not an OpenHall outbox (application_id " + Integer.toHexString(appId) + ")");
            }
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
                rs.next();
                if (!"wal".equalsIgnoreCase(rs.getString(1))) {
                    throw new SQLException("journal_mode is " + rs.getString(1) + ", not WAL");
                }
            }
            if (empty && appId == 0) {
                s.executeUpdate("CREATE TABLE message (id INTEGER PRIMARY KEY AUTOINCREMENT, ord INTEGER NOT NULL,"
                        + " kind TEXT NOT NULL, topic TEXT NOT NULL, retained INTEGER NOT NULL, seq INTEGER NOT NULL,"
                        + " seq_to INTEGER NOT NULL, payload BLOB NOT NULL, size INTEGER NOT NULL)");
                s.executeUpdate("CREATE INDEX message_ord ON message (ord, id)");
                s.executeUpdate("CREATE INDEX message_kind ON message (kind, ord, id)");
                s.executeUpdate("CREATE INDEX message_topic ON message (topic)");
                s.executeUpdate(CREATE_META);
                s.executeUpdate("PRAGMA application_id = " + APPLICATION_ID);
                s.executeUpdate("PRAGMA user_version = " + SCHEMA_VERSION);
            } else if (version == 1) {
                // Version 1 did not record the last seq: take the newest event or gap still queued, if any.
                s.executeUpdate(CREATE_META);
                s.executeUpdate("INSERT INTO meta (key, value) SELECT '" + LAST_SEQ + "', MAX(seq_to) FROM message"
                        + " WHERE kind IN ('EVENT','GAP') HAVING MAX(seq_to) IS NOT NULL");
                s.executeUpdate("PRAGMA user_version = " + SCHEMA_VERSION);
                LOG.info("Outbox {} upgraded to schema version {}", file, SCHEMA_VERSION);
            } else if (version != SCHEMA_VERSION) {
                throw new SQLException("outbox schema version " + version + " is not supported (this bundle knows "
                        + SCHEMA_VERSION + ")");
            }
        }
    }

    private static final String CREATE_META = "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)";

    public Path file() {
        return file;
    }

    /** Adds one message; durable when this returns. */
    public void add(OutboxMessage message) {
        addAll(List.of(message));
    }

    /**
     * Adds messages in one transaction, in list order; durable when this returns.
     *
     * @throws IllegalArgumentException when a message alone is larger than the quota
     * @throws OutboxException          when the file cannot be written (nothing was added)
     */
    public synchronized void addAll(List<OutboxMessage> messages) {
        checkOpen();
        for (OutboxMessage m : messages) {
            if (size(m.topic(), m.payload()) > quota) {
                throw new IllegalArgumentException("message for " + m.topic() + " (" + m.payload().length
                        + " bytes) is larger than the outbox quota " + quota);
            }
        }
        long before = bytes;
        try {
            for (OutboxMessage m : messages) {
                insert(m);
            }
            db.commit();
        } catch (SQLException e) {
            rollback();
            bytes = before;
            throw new OutboxException("Outbox " + file + ": adding failed: " + e.getMessage(), e);
        }
    }

    private void insert(OutboxMessage m) throws SQLException {
        if (m.kind() == Kind.GAP) {
            m = new OutboxMessage(0, Kind.GAP, gapTopic, gapPayload.of(m.seq(), m.seqTo()), false, m.seq(), m.seqTo());
        }
        if (m.coalesced()) {
            try (PreparedStatement del = db.prepareStatement(
                    "DELETE FROM message WHERE topic = ? AND kind IN ('STATE','STATS') RETURNING size")) {
                del.setString(1, m.topic());
                try (ResultSet rs = del.executeQuery()) {
                    while (rs.next()) {
                        bytes -= rs.getLong(1);
                    }
                }
            }
        }
        long size = size(m.topic(), m.payload());
        while (bytes + size > quota) {
            if (!dropOne()) {
                LOG.warn("Outbox {} is over its quota of {} bytes with only gap messages left", file, quota);
                break;
            }
        }
        try (PreparedStatement ins = db.prepareStatement("INSERT INTO message (ord, kind, topic, retained, seq, seq_to,"
                + " payload, size) VALUES ((SELECT COALESCE(MAX(ord), 0) + 1 FROM message), ?, ?, ?, ?, ?, ?, ?)")) {
            ins.setString(1, m.kind().name());
            ins.setString(2, m.topic());
            ins.setInt(3, m.retained() ? 1 : 0);
            ins.setLong(4, m.seq());
            ins.setLong(5, m.seqTo());
            ins.setBytes(6, m.payload());
            ins.setLong(7, size);
            ins.executeUpdate();
        }
        bytes += size;
    }

    /** Drops the oldest message of the first kind that has one; false when only gaps are left. */
    private boolean dropOne() throws SQLException {
        for (Kind kind : List.of(Kind.STATS, Kind.STATE, Kind.REPLY)) {
            try (PreparedStatement del = db.prepareStatement("DELETE FROM message WHERE id = (SELECT id FROM message"
                    + " WHERE kind = ? ORDER BY ord, id LIMIT 1) RETURNING size, topic")) {
                del.setString(1, kind.name());
                try (ResultSet rs = del.executeQuery()) {
                    if (rs.next()) {
                        bytes -= rs.getLong(1);
                        dropped++;
                        LOG.warn("Outbox {} full: dropped the oldest {} message ({})", file, kind, rs.getString(2));
                        return true;
                    }
                }
            }
        }
        try (PreparedStatement q = db.prepareStatement(
                "SELECT id, ord, seq, size FROM message WHERE kind = 'EVENT' ORDER BY ord, id LIMIT 1");
                ResultSet rs = q.executeQuery()) {
            if (!rs.next()) {
                return false;
            }
            replaceByGap(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
        }
        dropped++;
        return true;
    }

    /** Deletes the event {@code id} and puts a gap for its {@code seq} in its place ({@code ord}). */
    private void replaceByGap(long id, long ord, long seq, long size) throws SQLException {
        try (PreparedStatement del = db.prepareStatement("DELETE FROM message WHERE id = ?")) {
            del.setLong(1, id);
            del.executeUpdate();
        }
        bytes -= size;
        // A gap that ends just before this event grows; else a new gap takes the event's place.
        long gapId = 0;
        long gapFrom = 0;
        long gapSize = 0;
        try (PreparedStatement q = db.prepareStatement(
                "SELECT id, seq, size FROM message WHERE kind = 'GAP' AND seq_to = ? ORDER BY ord DESC LIMIT 1")) {
            q.setLong(1, seq - 1);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    gapId = rs.getLong(1);
                    gapFrom = rs.getLong(2);
                    gapSize = rs.getLong(3);
                }
            }
        }
        if (gapId != 0) {
            byte[] payload = gapPayload.of(gapFrom, seq);
            long newSize = size(gapTopic, payload);
            try (PreparedStatement up = db.prepareStatement(
                    "UPDATE message SET seq_to = ?, payload = ?, size = ? WHERE id = ?")) {
                up.setLong(1, seq);
                up.setBytes(2, payload);
                up.setLong(3, newSize);
                up.setLong(4, gapId);
                up.executeUpdate();
            }
            bytes += newSize - gapSize;
            LOG.warn("Outbox {}: dropped event seq {}; events {}..{} are lost", file, seq, gapFrom, seq);
        } else {
            byte[] payload = gapPayload.of(seq, seq);
            long newSize = size(gapTopic, payload);
            try (PreparedStatement ins = db.prepareStatement("INSERT INTO message (ord, kind, topic, retained, seq,"
                    + " seq_to, payload, size) VALUES (?, 'GAP', ?, 0, ?, ?, ?, ?)")) {
                ins.setLong(1, ord);
                ins.setString(2, gapTopic);
                ins.setLong(3, seq);
                ins.setLong(4, seq);
                ins.setBytes(5, payload);
                ins.setLong(6, newSize);
                ins.executeUpdate();
            }
            bytes += newSize;
            LOG.warn("Outbox {}: dropped event seq {}; a gap message takes its place", file, seq);
        }
    }

    /**
     * Removes a message that can never be published (the client cannot encode it): a reply or
     * state message is deleted, an event is replaced in its place by a gap, so subscribers are
     * told that it is lost. Counted in {@link #discarded()}; durable when this returns. An id that
     * is no longer there is ignored.
     */
    public synchronized void discard(long id) {
        checkOpen();
        try {
            try (PreparedStatement q = db.prepareStatement("SELECT kind, ord, seq, size FROM message WHERE id = ?")) {
                q.setLong(1, id);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        db.commit();
                        return;
                    }
                    if (Kind.valueOf(rs.getString(1)) == Kind.EVENT) {
                        replaceByGap(id, rs.getLong(2), rs.getLong(3), rs.getLong(4));
                    } else {
                        try (PreparedStatement del = db.prepareStatement("DELETE FROM message WHERE id = ?")) {
                            del.setLong(1, id);
                            del.executeUpdate();
                        }
                        bytes -= rs.getLong(4);
                    }
                }
            }
            db.commit();
            discarded++;
        } catch (SQLException e) {
            rollback();
            throw new OutboxException("Outbox " + file + ": discarding failed: " + e.getMessage(), e);
        }
    }

    /** Messages {@link #discard discarded} as unpublishable since this outbox was opened. */
    public synchronized long discarded() {
        return discarded;
    }

    /**
     * Adds queue events (and {@link OutboxMessage#gap gaps} for events that can no longer be had)
     * and records {@code lastSeq} as the last queue-event seq queued, in one transaction: after a
     * crash either both are there or neither. Durable when this returns.
     *
     * @throws IllegalArgumentException when a message alone is larger than the quota
     * @throws OutboxException          when the file cannot be written (nothing was added)
     */
    public synchronized void addEvents(List<OutboxMessage> events, long lastSeq) {
        checkOpen();
        for (OutboxMessage m : events) {
            if (m.kind() != Kind.EVENT && m.kind() != Kind.GAP) {
                throw new IllegalArgumentException("not an event: " + m.kind() + " " + m.topic());
            }
            if (m.kind() == Kind.EVENT && size(m.topic(), m.payload()) > quota) {
                throw new IllegalArgumentException("message for " + m.topic() + " (" + m.payload().length
                        + " bytes) is larger than the outbox quota " + quota);
            }
        }
        long before = bytes;
        try {
            for (OutboxMessage m : events) {
                insert(m);
            }
            writeLastSeq(lastSeq);
            db.commit();
        } catch (SQLException e) {
            rollback();
            bytes = before;
            throw new OutboxException("Outbox " + file + ": adding events failed: " + e.getMessage(), e);
        }
    }

    /** Records the last queue-event seq queued without queuing anything (a new connection's start). */
    public synchronized void setLastSeq(long lastSeq) {
        addEvents(List.of(), lastSeq);
    }

    /** The last queue-event seq queued, recorded by {@link #addEvents}; empty for a new outbox. */
    public synchronized java.util.OptionalLong lastSeq() {
        checkOpen();
        try {
            java.util.OptionalLong v = java.util.OptionalLong.empty();
            try (PreparedStatement q = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
                q.setString(1, LAST_SEQ);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        v = java.util.OptionalLong.of(rs.getLong(1));
                    }
                }
            }
            db.commit();
            return v;
        } catch (SQLException e) {
            rollback();
            throw new OutboxException("Outbox " + file + ": reading failed: " + e.getMessage(), e);
        }
    }

    private void writeLastSeq(long lastSeq) throws SQLException {
        try (PreparedStatement up = db.prepareStatement(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            up.setString(1, LAST_SEQ);
            up.setLong(2, lastSeq);
            up.executeUpdate();
        }
    }

    /** Up to {@code max} messages from the head, in order. */
    public synchronized List<OutboxMessage> peek(int max) {
        checkOpen();
        List<OutboxMessage> out = new ArrayList<>();
        try {
            try (PreparedStatement q = db.prepareStatement("SELECT id, kind, topic, payload, retained, seq, seq_to"
                    + " FROM message ORDER BY ord, id LIMIT ?")) {
                q.setInt(1, max);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(new OutboxMessage(rs.getLong(1), Kind.valueOf(rs.getString(2)), rs.getString(3),
                                rs.getBytes(4), rs.getInt(5) != 0, rs.getLong(6), rs.getLong(7)));
                    }
                }
            }
            db.commit();
        } catch (SQLException e) {
            rollback();
            throw new OutboxException("Outbox " + file + ": reading failed: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Deletes a message the broker acknowledged; durable when this returns. An id that is no longer
     * there (coalesced or dropped meanwhile) is ignored.
     */
    public void acknowledge(long id) {
        acknowledgeAll(List.of(id));
    }

    /** {@link #acknowledge} for several messages in one transaction; durable when this returns. */
    public synchronized void acknowledgeAll(List<Long> ids) {
        checkOpen();
        try {
            long freed = 0;
            try (PreparedStatement del = db.prepareStatement("DELETE FROM message WHERE id = ? RETURNING size")) {
                for (long id : ids) {
                    del.setLong(1, id);
                    try (ResultSet rs = del.executeQuery()) {
                        while (rs.next()) {
                            freed += rs.getLong(1);
                        }
                    }
                }
            }
            db.commit();
            bytes -= freed;
        } catch (SQLException e) {
            rollback();
            throw new OutboxException("Outbox " + file + ": acknowledging failed: " + e.getMessage(), e);
        }
    }

    /** Messages queued. */
    public synchronized int size() {
        return Integer.parseInt(readOne("SELECT count(*) FROM message"));
    }

    /** Bytes counted against the quota. */
    public synchronized long bytes() {
        return bytes;
    }

    public long quota() {
        return quota;
    }

    /** Messages dropped for the quota since this outbox was opened. */
    public synchronized long dropped() {
        return dropped;
    }

    /** A pragma's value on the outbox's connection (tests check the durability settings). */
    synchronized String pragma(String name) {
        return readOne("PRAGMA " + name);
    }

    /** The first column of the first row; the statement is closed before the read transaction ends. */
    private String readOne(String sql) {
        checkOpen();
        String v;
        try {
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                v = rs.getString(1);
            }
            db.commit();
            return v;
        } catch (SQLException e) {
            rollback();
            throw new OutboxException("Outbox " + file + ": reading failed: " + e.getMessage(), e);
        }
    }

    static long size(String topic, byte[] payload) {
        return (long) topic.length() * 3 + payload.length + OVERHEAD;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("Outbox " + file + " is closed");
        }
    }

    private void rollback() {
        try {
            db.rollback();
        } catch (SQLException e) {
            LOG.error("Outbox {}: rollback failed", file, e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            db.close();
        } catch (SQLException e) {
            LOG.error("Outbox {}: closing failed", file, e);
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.error("Outbox {}: releasing its lock failed", file, e);
        }
    }
}
