package org.openhall.boot.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import org.openhall.api.runtime.HallHome;

/** The folders of a hall home, resolved once; see {@link HallHome} for the rules. */
final class HomeLayout implements HallHome {

    private final Path home;

    HomeLayout(Path home) {
        this.home = home.toAbsolutePath().normalize();
    }

    /**
     * Chooses the home: the property {@value HallHome#HOME_PROPERTY}, else the environment
     * variable {@value HallHome#HOME_ENV}, else {@code cwd}. Blank values count as absent.
     */
    static HomeLayout resolve(UnaryOperator<String> properties, UnaryOperator<String> environment, Path cwd) {
        String chosen = nonBlank(properties.apply(HOME_PROPERTY));
        if (chosen == null) {
            chosen = nonBlank(environment.apply(HOME_ENV));
        }
        return new HomeLayout(chosen == null ? cwd : cwd.resolve(chosen));
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Creates whatever folder is missing; existing folders and their contents are left alone. */
    void createFolders() throws IOException {
        for (Path folder : List.of(etc(), deploy(), data(), logs())) {
            Files.createDirectories(folder);
        }
    }

    Path logs() {
        return data().resolve("logs");
    }

    @Override
    public Path home() {
        return home;
    }

    @Override
    public Path etc() {
        return home.resolve("etc");
    }

    @Override
    public Path deploy() {
        return home.resolve("deploy");
    }

    @Override
    public Path data() {
        return home.resolve("data");
    }

    @Override
    public String toString() {
        return home.toString();
    }
}
