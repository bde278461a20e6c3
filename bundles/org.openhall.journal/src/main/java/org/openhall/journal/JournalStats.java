package org.openhall.journal;

/**
 * Counters of a journal since it was opened, for monitoring and benchmarks.
 *
 * <p>Only append transactions count as commits here (snapshots and prunes do not). With group
 * commit, {@code commits} is lower than {@code unitsAppended} when callers append concurrently.
 *
 * @param unitsAppended        units (calls of {@link Journal#append}) durably committed
 * @param commits              append transactions committed, each one fsync of the write-ahead log
 * @param entries              entries durably committed
 * @param meanEntriesPerCommit {@code entries / commits}, 0 before the first commit
 * @param meanCommitMicros     mean duration of {@code COMMIT} (the fsync), in microseconds
 * @param maxCommitMicros      longest {@code COMMIT}, in microseconds
 * @param failed               whether the journal has failed (see {@link Journal#isFailed()})
 */
public record JournalStats(long unitsAppended, long commits, long entries, double meanEntriesPerCommit,
        double meanCommitMicros, long maxCommitMicros, boolean failed) {

    /** @return {@code unitsAppended / commits}, 0 before the first commit */
    public double meanUnitsPerCommit() {
        return commits == 0 ? 0 : (double) unitsAppended / commits;
    }
}
