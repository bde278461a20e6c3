package org.openhall.device.copier.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The hall's own page counts (R19), in a small SQLite database of this bundle
 * ({@code data/copier/copies.db}, WAL, synchronous=FULL): per copier the last hardware reading and
 * the total, per copier and day the pages. One reading is one transaction that stores the new
 * reading together with the pages it adds, so after {@code kill -9} or a power cut the database
 * holds either the reading before or the one after, never pages without their reading: no page
 * is counted twice, and the next poll counts from the last committed reading, so none is lost.
 *
 * <p>Why not the queue journal ({@code HallQueue.putPolicyState}): a poll every second per copier
 * would put a journal event (and an MQTT event) per poll into the hall's history for something
 * that is not a queue operation, and counting would stop whenever the core is away (updated,
 * disk full); the counts are this bundle's own data.
 *
 * <p>Everything is also kept in memory, so reads ({@link #pages}, {@link #totals}) do no I/O.
 */
final class CopyStore implements AutoCloseable {

    private static final int APPLICATION_ID = 0x4F48_4350; // "OHCP"

    /** A copier's last reading. */
    record Counter(long raw, int width, long total, long resets, long wraps) {
    }

    /** What a reading did. */
    record Recorded(Counting.Step step, long total, long today) {
    }

    private final Path file;
    private final Connection db;
    private final Map<String, Counter> counters = new HashMap<>();
    private final Map<LocalDate, Map<String, Long>> days = new HashMap<>();

    private CopyStore(Path file, Connection db) {
        this.file = file;
        this.db = db;
    }

    static CopyStore open(Path file) throws SQLException, IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        SQLiteConfig config = new SQLiteConfig();
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(5000);
        // DriverManager does not see the driver in OSGi (shared/BUILD-NOTES.md, pitfall 5).
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        Connection db = ds.getConnection();
        try {
            prepare(db);
            db.setAutoCommit(false);
            CopyStore store = new CopyStore(file, db);
            store.load();
            return store;
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static void prepare(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            int appId;
            try (ResultSet rs = s.executeQuery("PRAGMA application_id")) {
                rs.next();
                appId = rs.getInt(1);
            }
            boolean empty;
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_schema")) {
                rs.next();
                empty = rs.getInt(1) == 0;
            }
            if (!(empty && appId == 0) && appId != APPLICATION_ID) {
                throw new SQLException("not an OpenHall copy count store (application_id " + Integer.toHexString(appId) + ")");
            }
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
                rs.next();
                if (!"wal".equalsIgnoreCase(rs.getString(1))) {
                    throw new SQLException("journal_mode is " + rs.getString(1) + ", not WAL");
                }
            }
            if (empty) {
                s.executeUpdate("CREATE TABLE counter (copier TEXT PRIMARY KEY, raw INTEGER NOT NULL, width INTEGER NOT NULL,"
                        + " total INTEGER NOT NULL, resets INTEGER NOT NULL, wraps INTEGER NOT NULL, updated INTEGER NOT NULL)");
                s.executeUpdate("CREATE TABLE pages (day TEXT NOT NULL, copier TEXT NOT NULL, pages INTEGER NOT NULL,"
                        + " PRIMARY KEY (day, copier))");
                s.executeUpdate("PRAGMA application_id = " + APPLICATION_ID);
                s.executeUpdate("PRAGMA user_version = 1");
            }
        }
    }

    private void load() throws SQLException {
        try (Statement s = db.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT copier, raw, width, total, resets, wraps FROM counter")) {
                while (rs.next()) {
                    counters.put(rs.getString(1), new Counter(rs.getLong(2), rs.getInt(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT day, copier, pages FROM pages")) {
                while (rs.next()) {
                    days.computeIfAbsent(LocalDate.parse(rs.getString(1)), d -> new HashMap<>()).put(rs.getString(2), rs.getLong(3));
                }
            }
        }
        db.commit();
    }

    Path file() {
        return file;
    }

    /**
     * Records a reading of {@code copier}'s counter: stores it with the pages it adds to
     * {@code day} in one durable transaction (see the class comment).
     */
    synchronized Recorded record(String copier, long raw, int width, long maxStep, LocalDate day, Instant at) throws SQLException {
        Counter c = counters.get(copier);
        Counting.Step step = Counting.step(c == null || c.width() != width ? -1 : c.raw(), raw, width, maxStep);
        long total = (c == null ? 0 : c.total()) + step.pages();
        long today = days.getOrDefault(day, Map.of()).getOrDefault(copier, 0L) + step.pages();
        Counter next = new Counter(raw, width, total, (c == null ? 0 : c.resets()) + (step.kind() == Counting.Kind.RESET ? 1 : 0),
                (c == null ? 0 : c.wraps()) + (step.kind() == Counting.Kind.WRAP ? 1 : 0));
        if (c != null && c.equals(next)) {
            return new Recorded(step, total, today); // nothing changed: no write
        }
        try {
            try (PreparedStatement p = db.prepareStatement("INSERT INTO counter (copier, raw, width, total, resets, wraps, updated)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (copier) DO UPDATE SET raw = excluded.raw, width = excluded.width,"
                    + " total = excluded.total, resets = excluded.resets, wraps = excluded.wraps, updated = excluded.updated")) {
                p.setString(1, copier);
                p.setLong(2, raw);
                p.setInt(3, width);
                p.setLong(4, total);
                p.setLong(5, next.resets());
                p.setLong(6, next.wraps());
                p.setLong(7, at.toEpochMilli());
                p.executeUpdate();
            }
            if (step.pages() > 0) {
                try (PreparedStatement p = db.prepareStatement("INSERT INTO pages (day, copier, pages) VALUES (?, ?, ?)"
                        + " ON CONFLICT (day, copier) DO UPDATE SET pages = pages + excluded.pages")) {
                    p.setString(1, day.toString());
                    p.setString(2, copier);
                    p.setLong(3, step.pages());
                    p.executeUpdate();
                }
            }
            db.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                db.rollback();
            } catch (SQLException ignored) {
                // the first error is reported; memory stays at the last committed state
            }
            throw e;
        }
        counters.put(copier, next);
        if (step.pages() > 0) {
            days.computeIfAbsent(day, d -> new HashMap<>()).put(copier, today);
        }
        return new Recorded(step, total, today);
    }

    /** The copier's last reading, or null. */
    synchronized Counter counter(String copier) {
        return counters.get(copier);
    }

    /** Pages on {@code day} of each of {@code copiers} (0 when none), sorted. */
    synchronized Map<String, Long> pages(LocalDate day, Collection<String> copiers) {
        Map<String, Long> out = new TreeMap<>();
        Map<String, Long> d = days.getOrDefault(day, Map.of());
        for (String c : copiers) {
            out.put(c, d.getOrDefault(c, 0L));
        }
        return out;
    }

    /** Totals of each of {@code copiers} (0 when none), sorted. */
    synchronized Map<String, Long> totals(Collection<String> copiers) {
        Map<String, Long> out = new TreeMap<>();
        for (String c : copiers) {
            Counter k = counters.get(c);
            out.put(c, k == null ? 0L : k.total());
        }
        return out;
    }

    /** A pragma's value (tests check the durability settings). */
    synchronized String pragma(String name) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            String v = rs.getString(1);
            db.commit();
            return v;
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing: nothing left to lose, every reading was committed
        }
    }
}
