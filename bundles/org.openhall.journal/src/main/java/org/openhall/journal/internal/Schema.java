package org.openhall.journal.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.openhall.journal.JournalCorruptException;
import org.openhall.journal.JournalException;

/**
 * The journal's SQLite schema, version {@value #VERSION}.
 *
 * <pre>
 * meta     (key TEXT PRIMARY KEY, value INTEGER)      -- 'high_seq': highest seq ever written
 * entry    (seq INTEGER PRIMARY KEY,                  -- rowid: entries are stored in seq order
 *           unit_last INTEGER,                        -- seq of the last entry of the same unit
 *           type TEXT, time_ms INTEGER, request_id TEXT, payload BLOB, crc INTEGER)
 * request  (request_id TEXT PRIMARY KEY, fingerprint TEXT,
 *           first_seq INTEGER, last_seq INTEGER,      -- 0, 0 when the unit had no entries
 *           after_seq INTEGER,                        -- highest seq assigned before the unit
 *           recorded_at INTEGER, result BLOB, crc INTEGER)       + index on recorded_at
 * snapshot (seq INTEGER PRIMARY KEY, time_ms INTEGER, state BLOB, crc INTEGER)
 * </pre>
 *
 * <ul>
 * <li>{@code PRAGMA application_id} = {@value #APPLICATION_ID} ("OHJN") marks the file as an
 * OpenHall journal; {@code PRAGMA user_version} holds the schema version. A later version adds a
 * step to {@link #migrate} and raises {@link #VERSION}; a file with a higher version than this code
 * knows is refused, never modified.</li>
 * <li>{@code meta.high_seq} is updated in every append transaction, so that sequence numbers never
 * go back even when pruning has deleted every entry.</li>
 * <li>{@code entry.unit_last} lets the salvage command cut a damaged journal at a unit boundary
 * (units are atomic). {@code request.after_seq} places request records without entries in the
 * sequence. {@code crc} is a CRC-32C of the row's other columns ({@link Checksums}).</li>
 * </ul>
 */
public final class Schema {

    /** {@code PRAGMA application_id} of a journal: "OHJN" in ASCII. */
    public static final int APPLICATION_ID = 0x4F484A4E;

    /** The schema version this code writes ({@code PRAGMA user_version}). */
    public static final int VERSION = 1;

    private static final List<String> CREATE = List.of(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE TABLE entry (seq INTEGER PRIMARY KEY, unit_last INTEGER NOT NULL, type TEXT NOT NULL,"
                    + " time_ms INTEGER NOT NULL, request_id TEXT, payload BLOB NOT NULL, crc INTEGER NOT NULL,"
                    + " CHECK (unit_last >= seq))",
            "CREATE TABLE request (request_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL,"
                    + " first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL, after_seq INTEGER NOT NULL,"
                    + " recorded_at INTEGER NOT NULL, result BLOB, crc INTEGER NOT NULL)",
            "CREATE INDEX request_recorded_at ON request (recorded_at)",
            "CREATE TABLE snapshot (seq INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, state BLOB NOT NULL,"
                    + " crc INTEGER NOT NULL)",
            "INSERT INTO meta (key, value) VALUES ('high_seq', 0)",
            "PRAGMA application_id = " + APPLICATION_ID,
            "PRAGMA user_version = " + VERSION);

    private static final List<String> TABLES = List.of("meta", "entry", "request", "snapshot");

    /* Statements shared by the journal and the salvage command. */
    static final String INSERT_ENTRY =
            "INSERT INTO entry (seq, unit_last, type, time_ms, request_id, payload, crc) VALUES (?, ?, ?, ?, ?, ?, ?)";
    static final String INSERT_REQUEST = "INSERT OR IGNORE INTO request"
            + " (request_id, fingerprint, first_seq, last_seq, after_seq, recorded_at, result, crc)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    static final String INSERT_SNAPSHOT = "INSERT OR REPLACE INTO snapshot (seq, time_ms, state, crc) VALUES (?, ?, ?, ?)";
    static final String UPDATE_HIGH_SEQ = "UPDATE meta SET value = max(value, ?) WHERE key = 'high_seq'";

    private Schema() {
    }

    /**
     * Creates the schema in an empty database, or checks (and, for older versions, migrates) an
     * existing one. Runs in its own {@code BEGIN IMMEDIATE} transaction on a writer connection.
     *
     * @return whether the schema was created
     */
    static boolean createOrCheck(Connection c, Path file) throws SQLException, JournalException {
        Sqlite.exec(c, "BEGIN IMMEDIATE");
        boolean done = false;
        try {
            boolean created;
            if (isEmpty(c)) {
                for (String sql : CREATE) {
                    Sqlite.exec(c, sql);
                }
                created = true;
            } else {
                int version = check(c, file);
                migrate(c, file, version);
                created = false;
            }
            Sqlite.exec(c, "COMMIT");
            done = true;
            return created;
        } finally {
            if (!done) {
                try {
                    Sqlite.exec(c, "ROLLBACK");
                } catch (SQLException e) {
                    // The original error is the one to report; SQLite may have rolled back already.
                }
            }
        }
    }

    /** @return whether the database is new: no version, no application id, no tables */
    static boolean isEmpty(Connection c) throws SQLException {
        return Sqlite.queryLong(c, "PRAGMA user_version") == 0 && Sqlite.queryLong(c, "PRAGMA application_id") == 0
                && Sqlite.queryLong(c, "SELECT count(*) FROM sqlite_master") == 0;
    }

    /**
     * Checks without writing that the database is a journal this code can use.
     *
     * @return the schema version found
     */
    static int check(Connection c, Path file) throws SQLException, JournalException {
        long applicationId = Sqlite.queryLong(c, "PRAGMA application_id");
        long version = Sqlite.queryLong(c, "PRAGMA user_version");
        if (applicationId != APPLICATION_ID) {
            throw new JournalException("journal " + file + " is a SQLite database but not an OpenHall journal (application_id "
                    + String.format("0x%08x", applicationId) + ", user_version " + version + "); it was left untouched");
        }
        if (version > VERSION) {
            throw new JournalException("journal " + file + " has schema version " + version
                    + ", newer than this org.openhall.journal supports (" + VERSION
                    + "); use a newer version of the bundle. The file was left untouched.");
        }
        if (version < 1) {
            throw new JournalCorruptException(file, "journal " + file + " has no schema version (user_version " + version + ")", null);
        }
        Set<String> tables = new HashSet<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        for (String table : TABLES) {
            if (!tables.contains(table)) {
                throw new JournalCorruptException(file, "journal " + file + " lacks its table '" + table + "'", null);
            }
        }
        return (int) version;
    }

    /**
     * Brings an older schema to {@link #VERSION} inside the caller's transaction. Version 1 is the
     * first, so nothing can be older yet; a later version migrates here one step at a time
     * (1 to 2, 2 to 3, ...) and raises {@link #VERSION}.
     */
    private static void migrate(Connection c, Path file, int from) throws JournalException {
        if (from < VERSION) {
            throw new JournalException("journal " + file + ": no migration from schema version " + from + " to " + VERSION);
        }
    }

    /** @return the highest sequence number ever assigned to a durable entry, 0 for a new journal */
    static long highestSeq(Connection c) throws SQLException {
        return Sqlite.queryLong(c, "SELECT max(coalesce((SELECT value FROM meta WHERE key = 'high_seq'), 0),"
                + " coalesce((SELECT max(seq) FROM entry), 0))");
    }
}
