package org.openhall.journal.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.openhall.journal.JournalException;

/**
 * Makes sure one journal file has one writer: an OS lock on {@code <file>.lock}, held while the
 * journal is open. A second {@code Journal} on the same file (in this JVM, in another bundle
 * revision, or in another process) would assign the same sequence numbers again.
 *
 * <p>The lock is on a separate file on purpose: SQLite uses POSIX advisory locks on the database
 * file, and closing any other descriptor of that file in the same process would drop SQLite's
 * locks. The lock file stays after close (deleting it would race with another opener); the OS
 * releases the lock itself when the process dies, so {@code kill -9} leaves nothing stale.
 */
final class FileGuard implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private FileGuard(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static Path lockFile(Path journalFile) {
        return journalFile.resolveSibling(journalFile.getFileName() + ".lock");
    }

    static FileGuard acquire(Path journalFile) throws JournalException {
        return acquire(journalFile, false);
    }

    /**
     * @param lockFileOptional if the lock file cannot be created (a read-only folder), return
     *                         {@code null} instead of throwing: the salvage command reads damaged
     *                         journals wherever they are
     * @throws JournalException if another journal holds the lock, or the lock file is needed but
     *                          cannot be created
     */
    static FileGuard acquire(Path journalFile, boolean lockFileOptional) throws JournalException {
        Path lockFile = lockFile(journalFile);
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            if (lockFileOptional) {
                return null;
            }
            throw new JournalException("journal " + journalFile + ": cannot create its lock file " + lockFile + ": " + e, e);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new JournalException("journal " + journalFile + " is already open in another process (" + lockFile + " is locked)");
            }
            return new FileGuard(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new JournalException("journal " + journalFile + " is already open in this JVM; close it first");
        } catch (IOException e) {
            closeQuietly(channel);
            throw new JournalException("journal " + journalFile + ": cannot lock " + lockFile + ": " + e, e);
        } catch (JournalException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel below releases the lock as well.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing else to do: the descriptor is gone either way.
        }
    }
}
