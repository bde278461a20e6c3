package org.openhall.journal;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Salvage#salvage} copied from a damaged journal and where it stopped.
 *
 * @param damaged          the damaged journal (left unchanged)
 * @param target           the new journal
 * @param firstSeq         the first entry copied, 0 if none
 * @param lastSeq          the position the new journal continues from: the last entry copied, or
 *                         without entries the newest snapshot copied, or 0. Its next append gets
 *                         {@code lastSeq + 1}.
 * @param entries          how many entries were copied
 * @param snapshots        how many snapshots were copied
 * @param requests         how many request records were copied
 * @param damagedHighSeq   the highest sequence number the damaged journal had recorded, or -1 if
 *                         that could not be read; {@code damagedHighSeq - lastSeq} entries are lost
 * @param stoppedBecause   why copying entries stopped (end of the journal, a gap, an unreadable or
 *                         invalid row)
 * @param notes            further findings: what SQLite's {@code quick_check} said, what was dropped
 */
public record SalvageReport(Path damaged, Path target, long firstSeq, long lastSeq, long entries, int snapshots,
        int requests, long damagedHighSeq, String stoppedBecause, List<String> notes) {

    /**
     * Checks the arguments and copies the notes.
     *
     * @param damaged the damaged journal
     * @param target the new journal
     * @param firstSeq the first entry copied
     * @param lastSeq the position the new journal continues from
     * @param entries entries copied
     * @param snapshots snapshots copied
     * @param requests request records copied
     * @param damagedHighSeq the damaged journal's highest seq, or -1
     * @param stoppedBecause why copying entries stopped
     * @param notes further findings
     */
    public SalvageReport {
        Objects.requireNonNull(damaged, "damaged");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(stoppedBecause, "stoppedBecause");
        notes = List.copyOf(notes);
    }

    /** @return a human-readable, multi-line account for the operator */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("Salvaged ").append(damaged).append("\n     into ").append(target).append('\n');
        sb.append("  entries:   ").append(entries);
        if (entries > 0) {
            sb.append(" (seq ").append(firstSeq).append(" to ").append(lastSeq).append(')');
        }
        sb.append('\n');
        sb.append("  continues: after seq ").append(lastSeq);
        if (damagedHighSeq >= 0) {
            sb.append(" (the damaged journal had reached seq ").append(damagedHighSeq);
            sb.append(damagedHighSeq > lastSeq ? "; " + (damagedHighSeq - lastSeq) + " entries lost)" : ")");
        }
        sb.append('\n');
        sb.append("  stopped:   ").append(stoppedBecause).append('\n');
        sb.append("  snapshots: ").append(snapshots).append('\n');
        sb.append("  requests:  ").append(requests).append('\n');
        for (String note : notes) {
            sb.append("  note:      ").append(note).append('\n');
        }
        return sb.toString();
    }
}
