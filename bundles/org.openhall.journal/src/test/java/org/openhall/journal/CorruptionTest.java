package org.openhall.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openhall.journal.TestSupport.TIMEOUT_SECONDS;
import static org.openhall.journal.TestSupport.await;
import static org.openhall.journal.TestSupport.replayAll;
import static org.openhall.journal.TestSupport.sha256;
import static org.openhall.journal.TestSupport.text;
import static org.openhall.journal.TestSupport.unit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

class CorruptionTest {

    private static final int UNITS = 600;
    private static final int PAGE_SIZE = 4096;

    @TempDir
    Path dir;

    /**
     * A journal of {@value #UNITS} units of two entries (unit i has seqs 2i+1 and 2i+2), a request
     * record every 50 units and a snapshot at seq 100, closed cleanly (one self-contained file).
     */
    private Path writeJournal(String name) throws Exception {
        Path file = dir.resolve(name);
        try (Journal journal = Journal.open(file, JournalOptions.defaults())) {
            Pending last = null;
            for (int i = 0; i < UNITS; i++) {
                List<Entry> entries = new ArrayList<>();
                for (Entry e : unit("u" + i, 2)) {
                    // Padding makes the file span many pages.
                    entries.add(new Entry(e.type(), e.timeMillis(), (text(e.payload()) + " " + "-".repeat(300)).getBytes(StandardCharsets.UTF_8)));
                }
                last = journal.append(entries, i % 50 == 0 ? new RequestRecord("req-u" + i, "fp", null) : null);
                if (last.lastSeq() == 100) {
                    journal.saveSnapshot(100, 0, TestSupport.utf8("state at 100"));
                }
            }
            await(last.durable());
        }
        return file;
    }

    /** @return the offset of the first occurrence of {@code marker} in the file */
    private static int offsetOf(byte[] content, String marker) {
        byte[] m = marker.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + m.length <= content.length; i++) {
            for (int j = 0; j < m.length; j++) {
                if (content[i + j] != m[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(marker + " not found in the file");
    }

    /** Checks a salvaged (or intact) journal: contiguous from 1, every unit complete. */
    private static List<StoredEntry> assertSoundPrefix(Path file, long expectedLastSeq) throws Exception {
        try (Journal journal = Journal.open(file, JournalOptions.defaults())) {
            assertEquals(expectedLastSeq, journal.lastSeq());
            List<StoredEntry> all = replayAll(journal, 0);
            assertEquals(expectedLastSeq, all.size());
            TestSupport.assertContiguous(all, 1);
            for (StoredEntry e : all) {
                long unitIndex = (e.seq() - 1) / 2;
                long part = (e.seq() - 1) % 2 + 1;
                assertTrue(text(e.payload()).startsWith("unit u" + unitIndex + " part " + part + "/2"), text(e.payload()));
            }
            for (int i = 0; i < UNITS; i += 50) {
                boolean covered = 2L * i + 2 <= expectedLastSeq;
                assertEquals(covered, journal.request("req-u" + i).isPresent(), "request record of unit " + i);
            }
            return all;
        }
    }

    @Test
    void aDamagedPageIsRefusedTheFileIsLeftUntouchedAndSalvageKeepsTheValidPrefix() throws Exception {
        Path file = writeJournal("damaged.db");
        byte[] content = Files.readAllBytes(file);
        // Overwrite the whole b-tree page that holds unit u300 (seq 601) with garbage.
        int page = offsetOf(content, "unit u300 part 1/2") / PAGE_SIZE;
        Arrays.fill(content, page * PAGE_SIZE, (page + 1) * PAGE_SIZE, (byte) 0xA5);
        Files.write(file, content);
        String damagedHash = sha256(file);

        JournalCorruptException e = assertThrows(JournalCorruptException.class,
                () -> Journal.open(file, JournalOptions.defaults()));
        assertEquals(file, e.getFile());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("quick_check"), e.getMessage());
        assertTrue(e.getMessage().contains("org.openhall.journal.Salvage"), "the message names the salvage command");
        assertEquals(damagedHash, sha256(file), "the damaged file must not be modified");
        assertFalse(TestSupport.writerThreadAlive("damaged.db"));

        Path target = dir.resolve("salvaged/journal.db");
        SalvageReport report = Salvage.salvage(file, target);
        System.out.print(report.describe());
        assertEquals(damagedHash, sha256(file), "salvage must not modify the damaged file");
        assertEquals(1, report.firstSeq());
        assertTrue(report.lastSeq() >= 100 && report.lastSeq() < 601, report.describe());
        assertEquals(0, report.lastSeq() % 2, "cut at a unit boundary");
        assertEquals(report.lastSeq(), report.entries());
        assertEquals(2L * UNITS, report.damagedHighSeq());
        assertEquals(1, report.snapshots());
        assertFalse(report.stoppedBecause().isBlank());

        assertSoundPrefix(target, report.lastSeq());
        try (Journal salvaged = Journal.open(target, JournalOptions.defaults())) {
            assertEquals("state at 100", text(salvaged.latestSnapshot().orElseThrow().state()));
            Pending next = salvaged.append(unit("new", 1), null);
            assertEquals(report.lastSeq() + 1, next.firstSeq());
            await(next.durable());
        }

        JournalException exists = assertThrows(JournalException.class, () -> Salvage.salvage(file, target));
        assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
    }

    @Test
    void aChangedPayloadIsCaughtByItsChecksum() throws Exception {
        Path file = writeJournal("bitrot.db");
        byte[] content = Files.readAllBytes(file);
        // Inside a row: SQLite's quick_check cannot see this, the row checksum does.
        int at = offsetOf(content, "unit u150 part 2/2"); // seq 302
        content[at] = 'U';
        Files.write(file, content);

        List<StoredEntry> seen = new ArrayList<>();
        try (Journal journal = Journal.open(file, JournalOptions.defaults())) {
            JournalCorruptException e = assertThrows(JournalCorruptException.class, () -> journal.replay(0, seen::add));
            assertTrue(e.getMessage().contains("entry seq 302 fails its checksum"), e.getMessage());
            assertEquals(301, seen.size(), "the entries before the damage were delivered");
        }

        Path target = dir.resolve("bitrot-salvaged.db");
        SalvageReport report = Salvage.salvage(file, target);
        assertEquals(300, report.lastSeq(), report.describe());
        assertTrue(report.stoppedBecause().contains("entry seq 302 fails its checksum"), report.stoppedBecause());
        assertTrue(report.notes().stream().anyMatch(n -> n.contains("entries seq 301 to 301 were dropped")), report.describe());
        assertSoundPrefix(target, 300);
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedAndLeftUntouched() throws Exception {
        Path file = dir.resolve("noise.db");
        byte[] noise = new byte[64 * 1024];
        new Random(42).nextBytes(noise);
        Files.write(file, noise);

        JournalCorruptException e = assertThrows(JournalCorruptException.class,
                () -> Journal.open(file, JournalOptions.defaults()));
        assertTrue(e.getMessage().contains("is not a SQLite database") && e.getMessage().contains(file.toString()),
                e.getMessage());
        assertTrue(Arrays.equals(noise, Files.readAllBytes(file)), "the file must not be modified");
        assertFalse(Files.exists(dir.resolve("noise.db-wal")));
        assertFalse(Files.exists(dir.resolve("noise.db-shm")));

        assertThrows(JournalException.class, () -> Salvage.salvage(file, dir.resolve("out.db")));
        assertFalse(Files.exists(dir.resolve("out.db")), "no target is left behind when nothing can be salvaged");
        assertTrue(Arrays.equals(noise, Files.readAllBytes(file)));
    }

    /** The documented command, with only the journal's classes and sqlite-jdbc on the class path. */
    @Test
    void theSalvageCommandRunsWithTheJournalAndSqliteJarsOnly() throws Exception {
        Path file = dir.resolve("cli.db");
        try (Journal journal = Journal.open(file, JournalOptions.defaults())) {
            for (int i = 0; i < 5; i++) {
                await(journal.append(unit("u" + i, 2), i == 0 ? new RequestRecord("req-u0", "fp", null) : null).durable());
            }
        }
        String classPath = location(Salvage.class) + File.pathSeparator + location(SQLiteDataSource.class);
        Path target = dir.resolve("cli-salvaged.db");

        Result ok = run(classPath, file.toString(), target.toString());
        assertEquals(0, ok.exitCode, ok.output);
        assertTrue(ok.output.contains("entries:   10 (seq 1 to 10)"), ok.output);
        assertSoundPrefix(target, 10);

        Result again = run(classPath, file.toString(), target.toString());
        assertEquals(1, again.exitCode, again.output);
        assertTrue(again.output.contains("already exists"), again.output);

        Result usage = run(classPath);
        assertEquals(2, usage.exitCode, usage.output);
    }

    private record Result(int exitCode, String output) {
    }

    private Result run(String classPath, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.sqlite.tmpdir=" + dir, "-cp", classPath, "org.openhall.journal.Salvage"));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(dir, "salvage", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the salvage command did not finish");
        }
        return new Result(process.exitValue(), Files.readString(output));
    }

    private static String location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
