package org.openhall.device.copier.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * {@code kill -9} of the counting process at random moments, while the copier keeps copying: when it
 * is started again, every page is counted exactly once (R19; none lost, none twice).
 */
class KillTest {

    @TempDir
    Path dir;

    @Test
    void pagesSurviveKillMinus9BetweenAndDuringPolls() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("KillTest seed " + seed + " (replay with -Dcrash.seed=" + seed + ")");
        Random random = new Random(seed);
        Path db = dir.resolve("copies.db");
        try (ModbusEmulator emu = new ModbusEmulator(dir, 1)) {
            int counter = 65_000; // close to the top: the rounds wrap the 16-bit counter too
            emu.set16(0, counter);
            long expected = 0;
            for (int r = 0; r < 6; r++) {
                int round = r;
                Process child = start(db, emu.port());
                try {
                    long want = expected;
                    Wait.until("round " + round + ": " + want + " pages counted", Duration.ofSeconds(30),
                            () -> total(db) >= want || !child.isAlive());
                    assertEquals(expected, total(db), () -> "round " + round + ": pages counted once after the restart; child: " + log());
                    int pages = 1 + random.nextInt(200);
                    counter = (counter + pages) & 0xFFFF;
                    emu.set16(0, counter);
                    expected += pages;
                    // Kill at a random moment: before, during or after the poll that sees the new pages.
                    TimeUnit.MILLISECONDS.sleep(random.nextInt(150));
                } finally {
                    child.destroyForcibly(); // SIGKILL
                    child.waitFor(10, TimeUnit.SECONDS);
                }
            }
            Process last = start(db, emu.port());
            try {
                long want = expected;
                Wait.until(want + " pages in the end", Duration.ofSeconds(30), () -> total(db) >= want || !last.isAlive());
                assertEquals(expected, total(db));
            } finally {
                last.destroyForcibly();
                last.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private String log() {
        try {
            return java.nio.file.Files.readString(dir.resolve("child.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private Process start(Path db, Path port) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), CrashChild.class.getName(), db.toString(), port.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("child.log").toFile())).start();
    }

    /** The copier's total as stored (another connection, as a reader after a restart would see it); -1 before its first reading. */
    private static long total(Path db) {
        if (!db.toFile().exists()) {
            return -1;
        }
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + db);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT total FROM counter WHERE copier = 'k-c1'")) {
            return rs.next() ? rs.getLong(1) : -1; // -1: no baseline reading yet
        } catch (SQLException e) {
            return -1; // not created yet
        }
    }
}
