package org.openhall.journal;

/**
 * A journal operation failed: the journal is closed or has failed, the file cannot be opened,
 * has an incompatible schema, or SQLite reported an error. The message names the file and the
 * reason.
 */
public class JournalException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the file
     */
    public JournalException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the file
     * @param cause   the underlying error (usually an {@link java.sql.SQLException})
     */
    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
