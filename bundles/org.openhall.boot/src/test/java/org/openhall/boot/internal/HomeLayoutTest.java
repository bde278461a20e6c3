package org.openhall.boot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HomeLayoutTest {

    @TempDir
    Path tmp;

    @Test
    void propertyWinsOverEnvironment() {
        HomeLayout layout = HomeLayout.resolve(Map.of("openhall.home", "/srv/hall")::get,
                Map.of("OPENHALL_HOME", "/opt/other")::get, tmp);
        assertEquals(Path.of("/srv/hall"), layout.home());
    }

    @Test
    void environmentIsUsedWhenThePropertyIsAbsentOrBlank() {
        HomeLayout layout = HomeLayout.resolve(Map.of("openhall.home", "  ")::get,
                Map.of("OPENHALL_HOME", "/opt/hall")::get, tmp);
        assertEquals(Path.of("/opt/hall"), layout.home());
    }

    @Test
    void defaultsToTheCurrentDirectory() {
        HomeLayout layout = HomeLayout.resolve(k -> null, k -> null, tmp);
        assertEquals(tmp.toAbsolutePath().normalize(), layout.home());
        assertEquals(layout.home().resolve("etc"), layout.etc());
        assertEquals(layout.home().resolve("deploy"), layout.deploy());
        assertEquals(layout.home().resolve("data"), layout.data());
    }

    @Test
    void relativeHomeIsResolvedAgainstTheCurrentDirectoryAndNormalized() {
        HomeLayout layout = HomeLayout.resolve(Map.of("openhall.home", "a/../hall")::get, k -> null, tmp);
        assertEquals(tmp.resolve("hall").toAbsolutePath().normalize(), layout.home());
    }

    @Test
    void createsMissingFoldersAndKeepsExistingContent() throws IOException {
        Path home = tmp.resolve("hall");
        Files.createDirectories(home.resolve("etc"));
        Path kept = Files.writeString(home.resolve("etc/hall.cfg"), "name=demo\n");

        HomeLayout layout = new HomeLayout(home);
        layout.createFolders();
        layout.createFolders(); // a second start finds everything in place

        assertTrue(Files.isDirectory(layout.deploy()));
        assertTrue(Files.isDirectory(layout.data()));
        assertTrue(Files.isDirectory(layout.logs()));
        assertEquals("name=demo\n", Files.readString(kept));
    }
}
