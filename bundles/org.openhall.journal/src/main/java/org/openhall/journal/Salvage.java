package org.openhall.journal;

import java.nio.file.Path;

import org.openhall.journal.internal.Salvager;

/**
 * Copies the valid prefix of a damaged journal into a new journal file.
 *
 * <p>Command line (the damaged journal must not be open in a running hall):
 * <pre>
 * java -cp org.openhall.journal-&lt;version&gt;.jar:sqlite-jdbc-&lt;version&gt;.jar \
 *      org.openhall.journal.Salvage damaged.db salvaged.db
 * </pre>
 * It prints what was kept and where it stopped; exit status 0 when a new journal was written,
 * 1 when nothing could be salvaged or the salvage failed, 2 for wrong arguments.
 *
 * <p>What is copied: the entries from the first one present, seq by seq, up to the first gap,
 * unreadable row or row failing its checksum, cut back to the last complete unit (units stay
 * atomic); the readable snapshots with {@code seq <=} the last copied entry (or, if no entry could
 * be copied, the readable snapshots, the newest of which becomes the new journal's position); the
 * request records whose entries were all copied and the records without entries that were
 * appended up to that position. The new journal continues at the position after the salvaged
 * prefix: what came later is lost, and the report says how much.
 *
 * <p>The damaged file is never modified: it and its {@code -wal} file are copied into a temporary
 * folder beside the target (which therefore needs room for one copy) and read from there. An
 * existing target is never overwritten.
 */
public final class Salvage {

    private Salvage() {
    }

    /**
     * Salvages {@code damaged} into the new file {@code target}.
     *
     * @param damaged the damaged journal; it is only read
     * @param target  the new journal; must not exist
     * @return what was copied and where it stopped
     * @throws JournalException if the target exists, the damaged file is open in a journal, it is
     *                          not a journal or nothing of it can be read, or writing the target
     *                          failed (then no target is left behind)
     */
    public static SalvageReport salvage(Path damaged, Path target) throws JournalException {
        return Salvager.salvage(damaged, target);
    }

    /**
     * The command line: {@code Salvage <damaged journal> <new journal>}.
     *
     * @param args the damaged file and the new file
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: java -cp <org.openhall.journal jar>:<sqlite-jdbc jar> org.openhall.journal.Salvage"
                    + " <damaged journal> <new journal>");
            System.exit(2);
            return;
        }
        try {
            SalvageReport report = salvage(Path.of(args[0]), Path.of(args[1]));
            System.out.print(report.describe());
            System.out.println("Check the report, keep the damaged file, then use the new file as the journal.");
        } catch (JournalException e) {
            System.err.println("Salvage failed: " + e.getMessage());
            System.exit(1);
        }
    }
}
