package org.openhall.journal.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.openhall.journal.JournalException;
import org.openhall.journal.Salvage;
import org.openhall.journal.SalvageReport;

/**
 * The implementation of {@link Salvage}. Runs from the command line with only the journal and
 * sqlite-jdbc jars on the class path: no slf4j here (nor in the classes it uses).
 */
public final class Salvager {

    /** Rows per JDBC batch when copying entries. */
    private static final int BATCH = 500;

    private final Path damaged;
    private final Path target;
    private final List<String> notes = new ArrayList<>();

    private Salvager(Path damaged, Path target) {
        this.damaged = damaged;
        this.target = target;
    }

    /** See {@link Salvage#salvage}. */
    public static SalvageReport salvage(Path damagedPath, Path targetPath) throws JournalException {
        Path damaged = damagedPath.toAbsolutePath().normalize();
        Path target = targetPath.toAbsolutePath().normalize();
        if (!Files.isRegularFile(damaged)) {
            throw new JournalException("salvage: " + damaged + " does not exist or is not a file");
        }
        if (damaged.equals(target)) {
            throw new JournalException("salvage: the new journal must be another file than " + damaged);
        }
        Sqlite.checkPath(target);
        if (Files.exists(target) || Files.exists(Sqlite.walFile(target))) {
            throw new JournalException("salvage: " + target + " already exists; refusing to overwrite it");
        }
        try {
            if (Files.size(damaged) == 0) {
                throw new JournalException("salvage: " + damaged + " is empty; there is nothing to salvage");
            }
        } catch (IOException e) {
            throw new JournalException("salvage: cannot read " + damaged + ": " + e, e);
        }
        Sqlite.checkHeader(damaged);
        // A journal that is open elsewhere is changing under us: refuse. Where the lock file
        // cannot even be created (a read-only folder) no journal can be writing there either.
        FileGuard guard = FileGuard.acquire(damaged, true);
        try {
            return new Salvager(damaged, target).run();
        } finally {
            if (guard != null) {
                guard.close();
            }
        }
    }

    private SalvageReport run() throws JournalException {
        Path work;
        try {
            Sqlite.createDirectoriesDurably(target.getParent());
            work = Files.createTempDirectory(target.getParent(), ".salvage-");
        } catch (IOException e) {
            throw new JournalException("salvage: cannot create a work folder beside " + target + ": " + e, e);
        }
        boolean targetCreated = false;
        boolean done = false;
        try {
            // Read a copy: SQLite may write the -shm file, or recover a WAL, next to what it
            // opens; the damaged file itself stays exactly as it is.
            Path copy = work.resolve("damaged.db");
            Files.copy(damaged, copy);
            if (Files.isRegularFile(Sqlite.walFile(damaged))) {
                Files.copy(Sqlite.walFile(damaged), Sqlite.walFile(copy));
            }
            try {
                Files.createFile(target);
            } catch (FileAlreadyExistsException e) {
                throw new JournalException("salvage: " + target + " already exists; refusing to overwrite it");
            }
            targetCreated = true;
            SalvageReport report;
            try (Connection src = Sqlite.open(copy, true); Connection dst = Sqlite.open(target, false)) {
                report = copy(src, dst);
            }
            verifyTarget();
            done = true;
            return report;
        } catch (SQLException e) {
            throw Sqlite.failure(target, "salvaging " + damaged + " into it", e);
        } catch (IOException e) {
            throw new JournalException("salvage of " + damaged + " into " + target + " failed: " + e, e);
        } finally {
            if (targetCreated && !done) {
                for (Path p : List.of(target, Sqlite.walFile(target), Sqlite.shmFile(target),
                        target.resolveSibling(target.getFileName() + "-journal"))) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        notes.add("could not delete " + p + ": " + e);
                    }
                }
            }
            deleteRecursively(work);
        }
    }

    private SalvageReport copy(Connection src, Connection dst) throws SQLException, JournalException {
        checkSource(src);
        long damagedHighSeq = highSeq(src);

        Sqlite.exec(dst, "PRAGMA synchronous = FULL");
        Schema.createOrCheck(dst, target);
        Sqlite.exec(dst, "BEGIN IMMEDIATE");

        Entries entries = copyEntries(src, dst);
        long position = entries.count > 0 ? entries.last : 0;

        List<Snap> snapshots = readSnapshots(src);
        if (entries.count == 0) {
            position = snapshots.stream().mapToLong(Snap::seq).max().orElse(0);
        }
        int snapshotsKept = 0;
        long newestKept = -1;
        try (PreparedStatement ins = dst.prepareStatement(Schema.INSERT_SNAPSHOT)) {
            for (Snap s : snapshots) {
                if (s.seq > position) {
                    notes.add("the snapshot at seq " + s.seq + " is beyond the salvaged position " + position + ": dropped");
                    continue;
                }
                ins.setLong(1, s.seq);
                ins.setLong(2, s.time);
                ins.setBytes(3, s.state);
                ins.setLong(4, s.crc);
                ins.executeUpdate();
                snapshotsKept++;
                newestKept = Math.max(newestKept, s.seq);
            }
        }
        if (entries.count > 0 && entries.first > 1 && newestKept < entries.first - 1) {
            notes.add("the entries start at seq " + entries.first + " but no salvaged snapshot covers seq 1 to "
                    + (entries.first - 1) + ": the state before them is missing");
        }

        int requests = copyRequests(src, dst, position);

        try (PreparedStatement ps = dst.prepareStatement("UPDATE meta SET value = ? WHERE key = 'high_seq'")) {
            ps.setLong(1, position);
            ps.executeUpdate();
        }
        Sqlite.exec(dst, "COMMIT");
        Sqlite.configureWriter(dst, target);
        return new SalvageReport(damaged, target, entries.count > 0 ? entries.first : 0, position, entries.count,
                snapshotsKept, requests, damagedHighSeq, entries.stoppedBecause, notes);
    }

    /** Reports what SQLite finds wrong, and refuses files that are not (readable) journals. */
    private void checkSource(Connection src) throws JournalException {
        try {
            List<String> problems = Sqlite.quickCheck(src);
            if (!problems.equals(List.of("ok"))) {
                List<String> shown = problems.size() > 5 ? problems.subList(0, 5) : problems;
                notes.add("PRAGMA quick_check of the damaged journal said: " + String.join("; ", shown).replace('\n', ' '));
            }
        } catch (SQLException e) {
            notes.add("PRAGMA quick_check of the damaged journal failed: " + e.getMessage());
        }
        try {
            Schema.check(src, damaged);
        } catch (SQLException e) {
            throw new JournalException("salvage: the schema of " + damaged + " cannot be read, nothing can be salvaged: "
                    + e.getMessage(), e);
        }
    }

    private long highSeq(Connection src) {
        try {
            return Sqlite.queryLong(src, "SELECT value FROM meta WHERE key = 'high_seq'");
        } catch (SQLException e) {
            notes.add("the damaged journal's highest sequence number cannot be read: " + e.getMessage());
            return -1;
        }
    }

    /** What {@link #copyEntries} copied. */
    private static final class Entries {
        long first;
        long last;
        long count;
        String stoppedBecause;
    }

    /**
     * Copies entries in seq order from the first one present while they are contiguous, readable
     * and pass their checksum, then deletes the copied rows after the last complete unit.
     */
    private Entries copyEntries(Connection src, Connection dst) throws SQLException {
        Entries result = new Entries();
        long lastRead = 0;
        long boundary = 0;       // last seq that ends a unit
        long openUnitLast = -1;  // unit_last of the unit being read, -1 between units
        long firstRead = 0;
        int pending = 0;
        String stop;
        try (PreparedStatement ins = dst.prepareStatement(Schema.INSERT_ENTRY);
                Statement s = src.createStatement()) {
            ResultSet rs;
            try {
                rs = s.executeQuery("SELECT seq, unit_last, type, time_ms, request_id, payload, crc FROM entry ORDER BY seq");
            } catch (SQLException e) {
                rs = null;
                stop = "the entry table cannot be read: " + e.getMessage();
                result.stoppedBecause = stop;
            }
            if (rs != null) {
                try (ResultSet rows = rs) {
                    while (true) {
                        long seq;
                        long unitLast;
                        String type;
                        long time;
                        String requestId;
                        byte[] payload;
                        long crc;
                        try {
                            if (!rows.next()) {
                                stop = firstRead == 0 ? "the journal has no entries"
                                        : "end of the journal: every entry from seq " + firstRead + " on was sound";
                                break;
                            }
                            seq = rows.getLong(1);
                            unitLast = rows.getLong(2);
                            type = rows.getString(3);
                            time = rows.getLong(4);
                            requestId = rows.getString(5);
                            payload = Sqlite.nonNull(rows.getBytes(6));
                            crc = rows.getLong(7);
                        } catch (SQLException e) {
                            stop = (firstRead == 0 ? "the first entry" : "the entry after seq " + lastRead)
                                    + " cannot be read: " + e.getMessage();
                            break;
                        }
                        if (firstRead != 0 && seq != lastRead + 1) {
                            stop = "entry seq " + (lastRead + 1) + " is missing (the next entry present is " + seq + ")";
                            break;
                        }
                        if (type == null || unitLast < seq
                                || Checksums.entry(seq, unitLast, type, time, requestId, payload) != crc) {
                            stop = "entry seq " + seq + " fails its checksum";
                            break;
                        }
                        if (openUnitLast >= 0 && unitLast != openUnitLast) {
                            stop = "entry seq " + seq + " does not belong to the unit ending at seq " + openUnitLast;
                            break;
                        }
                        ins.setLong(1, seq);
                        ins.setLong(2, unitLast);
                        ins.setString(3, type);
                        ins.setLong(4, time);
                        Sqlite.setNullableString(ins, 5, requestId);
                        ins.setBytes(6, payload);
                        ins.setLong(7, crc);
                        ins.addBatch();
                        if (++pending == BATCH) {
                            ins.executeBatch();
                            pending = 0;
                        }
                        if (firstRead == 0) {
                            firstRead = seq;
                        }
                        lastRead = seq;
                        if (seq == unitLast) {
                            boundary = seq;
                            openUnitLast = -1;
                        } else {
                            openUnitLast = unitLast;
                        }
                    }
                }
                result.stoppedBecause = stop;
            }
            if (pending > 0) {
                ins.executeBatch();
            }
        }
        if (lastRead > boundary) {
            try (PreparedStatement del = dst.prepareStatement("DELETE FROM entry WHERE seq > ?")) {
                del.setLong(1, boundary);
                del.executeUpdate();
            }
            notes.add("entries seq " + Math.max(boundary + 1, firstRead) + " to " + lastRead
                    + " were dropped: their unit (ending at seq " + openUnitLast + ") is incomplete");
        }
        if (boundary >= firstRead && firstRead > 0) {
            result.first = firstRead;
            result.last = boundary;
            result.count = boundary - firstRead + 1;
        }
        return result;
    }

    private record Snap(long seq, long time, byte[] state, long crc) {
    }

    /** @return the readable snapshots that pass their checksum */
    private List<Snap> readSnapshots(Connection src) {
        List<Snap> result = new ArrayList<>();
        long lastSeq = -1;
        try (Statement s = src.createStatement();
                ResultSet rs = s.executeQuery("SELECT seq, time_ms, state, crc FROM snapshot ORDER BY seq")) {
            while (rs.next()) {
                Snap snap = new Snap(rs.getLong(1), rs.getLong(2), Sqlite.nonNull(rs.getBytes(3)), rs.getLong(4));
                lastSeq = snap.seq;
                if (Checksums.snapshot(snap.seq, snap.time, snap.state) != snap.crc) {
                    notes.add("the snapshot at seq " + snap.seq + " fails its checksum: dropped");
                } else {
                    result.add(snap);
                }
            }
        } catch (SQLException e) {
            notes.add("the snapshots " + (lastSeq < 0 ? "" : "after seq " + lastSeq + " ") + "cannot be read: " + e.getMessage());
        }
        return result;
    }

    /** Copies the readable, sound request records up to {@code position}. */
    private int copyRequests(Connection src, Connection dst, long position) throws SQLException {
        int copied = 0;
        int dropped = 0;
        try (PreparedStatement ins = dst.prepareStatement(Schema.INSERT_REQUEST);
                Statement s = src.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT request_id, fingerprint, first_seq, last_seq, after_seq,"
                    + " recorded_at, result, crc FROM request ORDER BY rowid")) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    String fingerprint = rs.getString(2);
                    long first = rs.getLong(3);
                    long last = rs.getLong(4);
                    long after = rs.getLong(5);
                    long recordedAt = rs.getLong(6);
                    byte[] result = rs.getBytes(7);
                    long crc = rs.getLong(8);
                    if (id == null || fingerprint == null
                            || Checksums.request(id, fingerprint, first, last, after, recordedAt, result) != crc) {
                        notes.add("the record of request " + id + " fails its checksum: dropped");
                        continue;
                    }
                    boolean covered = first > 0 ? last <= position : after <= position;
                    if (!covered) {
                        dropped++;
                        continue;
                    }
                    ins.setString(1, id);
                    ins.setString(2, fingerprint);
                    ins.setLong(3, first);
                    ins.setLong(4, last);
                    ins.setLong(5, after);
                    ins.setLong(6, recordedAt);
                    Sqlite.setNullableBytes(ins, 7, result);
                    ins.setLong(8, crc);
                    ins.executeUpdate();
                    copied++;
                }
            } catch (SQLException e) {
                notes.add("the request records after the " + (copied + dropped) + " read cannot be read: " + e.getMessage());
            }
        }
        if (dropped > 0) {
            notes.add(dropped + " request record(s) of units after the salvaged position were dropped");
        }
        return copied;
    }

    /** The new journal must pass the same check as {@code Journal.open}. */
    private void verifyTarget() throws SQLException, IOException, JournalException {
        try (Connection c = Sqlite.open(target, true)) {
            List<String> problems = Sqlite.quickCheck(c);
            if (!problems.equals(List.of("ok"))) {
                throw new JournalException("salvage: the new journal " + target + " fails PRAGMA quick_check: " + problems);
            }
            Schema.check(c, target);
        }
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Sqlite.fsyncDirectory(target.getParent());
    }

    private void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            notes.add("the work folder " + dir + " could not be deleted: " + e);
        }
    }
}
