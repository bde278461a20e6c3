package org.openhall.journal;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The journal file is not a database or is damaged. The journal never deletes, truncates or
 * rewrites such a file: stop, keep the file for analysis, and use {@link Salvage} to copy its
 * valid prefix into a new file.
 */
public class JournalCorruptException extends JournalException {

    private static final long serialVersionUID = 1L;

    /** The damaged file, kept as a string because {@link Path} is not serializable. */
    private final String file;

    /**
     * @param file    the damaged file
     * @param message what is wrong, naming the file and what SQLite said
     * @param cause   the underlying error, or {@code null}
     */
    public JournalCorruptException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = Objects.requireNonNull(file, "file").toString();
    }

    /** @return the damaged file */
    public Path getFile() {
        return Path.of(file);
    }
}
