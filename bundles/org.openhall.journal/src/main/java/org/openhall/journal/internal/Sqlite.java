package org.openhall.journal.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.openhall.journal.JournalCorruptException;
import org.openhall.journal.JournalException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Small helpers around sqlite-jdbc. Connections are made with {@link SQLiteDataSource} because
 * {@code DriverManager} does not find drivers of other bundles in OSGi.
 *
 * <p>This class must not use slf4j: {@link Salvager} runs from the command line with only the
 * journal and sqlite-jdbc jars on the class path.
 */
public final class Sqlite {

    /** How long a connection waits for a lock held by another connection before SQLITE_BUSY. */
    static final int BUSY_TIMEOUT_MS = 5_000;

    /** WAL files larger than this are truncated back to it after a checkpoint. */
    private static final long JOURNAL_SIZE_LIMIT = 16L * 1024 * 1024;

    /** The first 16 bytes of every SQLite 3 database file. */
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    /* Primary result codes (the low byte of an extended code). */
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;
    private static final int SQLITE_NOTADB = 26;

    private Sqlite() {
    }

    /**
     * Opens a connection without changing anything in the file: no pragma is run here.
     *
     * @param readOnly open with SQLITE_OPEN_READONLY (SQLite then never writes the database file;
     *                 in WAL mode it may still create the {@code -wal} and {@code -shm} files)
     */
    static Connection open(Path file, boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(readOnly);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return dataSource.getConnection();
    }

    /** Rejects paths that sqlite-jdbc would not open as the plain file name. */
    static void checkPath(Path file) throws JournalException {
        // sqlite-jdbc reads "?..." in its URL as connection parameters: such a name would open a
        // different file than the one asked for.
        if (file.toString().indexOf('?') >= 0) {
            throw new JournalException("journal path " + file + " contains '?', which sqlite-jdbc cannot open");
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** @return the first column of the first row as a long, 0 if there is no row or it is NULL */
    static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** @return the first column of the first row as a string, {@code null} if there is no row */
    static String queryString(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /**
     * Runs {@code PRAGMA quick_check}. SQLite may report some problems as rows and then fail with
     * SQLITE_CORRUPT: both are returned as lines.
     *
     * @return {@code ["ok"]} for a sound database, otherwise what SQLite said
     */
    static List<String> quickCheck(Connection c) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
        } catch (SQLException e) {
            if (lines.isEmpty()) {
                throw e;
            }
            lines.add(e.getMessage());
        }
        return lines;
    }

    /** @return whether SQLite said the file is damaged or not a database */
    static boolean isCorruption(SQLException e) {
        int primary = e.getErrorCode() & 0xff;
        return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
    }

    /**
     * @return whether the error is one of the environment that may go away by itself, so that
     *         writing may be tried again on the same file: the disk is full (SQLITE_FULL; SQLite
     *         rolls the transaction back and the connection stays usable), an I/O error, a lock
     *         held by another connection, a file that cannot be opened. Damage (SQLITE_CORRUPT,
     *         SQLITE_NOTADB), misuse and anything unknown are not.
     */
    static boolean isTransient(SQLException e) {
        int primary = e.getErrorCode() & 0xff;
        return primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_BUSY
                || primary == SQLITE_LOCKED || primary == SQLITE_CANTOPEN;
    }

    /**
     * @param action what was being done, e.g. "opening"
     * @return a {@link JournalCorruptException} if SQLite reported damage, else a {@link JournalException}
     */
    static JournalException failure(Path file, String action, SQLException e) {
        String message = "journal " + file + ": " + action + " failed: " + e.getMessage();
        return isCorruption(e) ? new JournalCorruptException(file, message, e) : new JournalException(message, e);
    }

    /**
     * Checks the 16-byte header without handing the file to SQLite, so that a file that is not a
     * database at all is reported clearly and certainly left alone. An empty file is accepted
     * (SQLite treats it as an empty database).
     */
    static void checkHeader(Path file) throws JournalException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(MAGIC.length);
        } catch (IOException e) {
            throw new JournalException("journal " + file + " cannot be read: " + e, e);
        }
        if (head.length > 0 && !Arrays.equals(head, MAGIC)) {
            throw new JournalCorruptException(file, "journal " + file + " is not a SQLite database: its first bytes are "
                    + printable(head) + " instead of \"SQLite format 3\". The file was left untouched.", null);
        }
    }

    private static String printable(byte[] bytes) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte b : bytes) {
            int v = b & 0xff;
            sb.append(v >= 0x20 && v < 0x7f && v != '"' ? String.valueOf((char) v) : String.format("\\x%02x", v));
        }
        return sb.append('"').toString();
    }

    /** WAL with synchronous=FULL: a commit returns only after the log was fsynced. */
    static void configureWriter(Connection c, Path file) throws SQLException, JournalException {
        String mode = Sqlite.queryString(c, "PRAGMA journal_mode = WAL");
        if (!"wal".equalsIgnoreCase(mode)) {
            throw new JournalException("journal " + file + ": SQLite cannot use WAL mode here (journal_mode is " + mode
                    + "); the journal needs a local file system that supports shared memory");
        }
        Sqlite.exec(c, "PRAGMA synchronous = FULL");
        long synchronous = Sqlite.queryLong(c, "PRAGMA synchronous");
        if (synchronous != 2) {
            throw new JournalException("journal " + file + ": PRAGMA synchronous is " + synchronous + ", not FULL (2)");
        }
        Sqlite.exec(c, "PRAGMA journal_size_limit = " + JOURNAL_SIZE_LIMIT);
        // Extra checks of every b-tree cell read: damage is reported as SQLITE_CORRUPT rather
        // than read as data.
        Sqlite.exec(c, "PRAGMA cell_size_check = ON");
    }

    /** @return the write-ahead log file SQLite uses for {@code file} */
    static Path walFile(Path file) {
        return file.resolveSibling(file.getFileName() + "-wal");
    }

    /** @return the shared-memory index file SQLite uses for {@code file} in WAL mode */
    static Path shmFile(Path file) {
        return file.resolveSibling(file.getFileName() + "-shm");
    }

    /** @return the size of the file, 0 if it does not exist */
    static long sizeOrZero(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.size(file) : 0;
    }

    /**
     * Makes a new directory entry durable: after creating a file, fsync its directory, or a power
     * cut can lose the file itself although its contents were synced. SQLite does this for the
     * files it creates beside the database ({@code -wal}), not for the database file. Some
     * platforms cannot open a directory for syncing (Windows); there this is skipped.
     */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (Files.isDirectory(dir) && System.getProperty("os.name", "").startsWith("Windows")) {
                return;
            }
            throw e;
        }
    }

    /** Creates missing directories and syncs each parent whose contents changed. */
    static void createDirectoriesDurably(Path dir) throws IOException {
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        createDirectoriesDurably(dir.getParent());
        Files.createDirectories(dir);
        if (dir.getParent() != null) {
            fsyncDirectory(dir.getParent());
        }
    }

    /** SQLite may return NULL for a zero-length blob. */
    static byte[] nonNull(byte[] bytes) {
        return bytes == null ? new byte[0] : bytes;
    }

    static void setNullableString(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    static void setNullableBytes(PreparedStatement ps, int index, byte[] value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BLOB);
        } else {
            ps.setBytes(index, value);
        }
    }
}
