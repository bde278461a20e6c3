package org.openhall.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** Helpers shared by the tests. */
final class TestSupport {

    /** Generous upper bound for anything the tests wait for; never reached when all is well. */
    static final long TIMEOUT_SECONDS = 30;

    private TestSupport() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** {@code count} entries of a unit; each payload names the unit and the entry's place in it. */
    static List<Entry> unit(String name, int count) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            entries.add(new Entry("test.part", 1_000 + i, utf8("unit " + name + " part " + i + "/" + count)));
        }
        return entries;
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    static List<StoredEntry> replayAll(Journal journal, long afterSeq) throws JournalException {
        List<StoredEntry> entries = new ArrayList<>();
        journal.replay(afterSeq, entries::add);
        return entries;
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A plain read-only connection, to look at the file behind the journal's back. */
    static long queryLong(Path file, String sql) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    /** A plain read-write connection, for tests that prepare files the journal must refuse. */
    static void execute(Path file, String... sql) throws SQLException {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + file);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    /** Asserts that entries are the seqs {@code first..} without gaps. */
    static void assertContiguous(List<StoredEntry> entries, long first) {
        for (int i = 0; i < entries.size(); i++) {
            assertEquals(first + i, entries.get(i).seq(), "seq at index " + i);
        }
    }

    static boolean writerThreadAlive(String fileName) {
        String name = "journal-writer-" + fileName;
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
