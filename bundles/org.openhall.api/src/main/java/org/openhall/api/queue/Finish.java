package org.openhall.api.queue;

import java.util.List;
import java.util.Objects;

/**
 * How a window ends a transaction (R8). Use the factory methods.
 *
 * @param outcome          the outcome
 * @param missingMaterials for {@link Outcome#MATERIALS_INCOMPLETE}: the items missing, from the
 *                         service item's checklist, all of them in one go; else empty
 * @param reason           for {@link Outcome#REFUSED}: why
 * @param legalBasis       for {@link Outcome#REFUSED}: the regulation it rests on
 * @param transferTo       for {@link Outcome#TRANSFERRED}: where the ticket goes
 * @param serviceItemId    the service item handled, when the window states it (for R6 time limits)
 */
public record Finish(Outcome outcome, List<String> missingMaterials, String reason, String legalBasis,
        TransferTarget transferTo, String serviceItemId) {

    public Finish {
        Objects.requireNonNull(outcome, "outcome");
        missingMaterials = missingMaterials == null ? List.of() : List.copyOf(missingMaterials);
    }

    public static Finish done() {
        return new Finish(Outcome.DONE, List.of(), null, null, null, null);
    }

    public static Finish materialsIncomplete(List<String> missing) {
        return new Finish(Outcome.MATERIALS_INCOMPLETE, missing, null, null, null, null);
    }

    public static Finish refused(String reason, String legalBasis) {
        return new Finish(Outcome.REFUSED, List.of(), reason, legalBasis, null, null);
    }

    public static Finish transferred(TransferTarget target) {
        return new Finish(Outcome.TRANSFERRED, List.of(), null, null, target, null);
    }

    /** The same finish, stating the service item handled. */
    public Finish withServiceItem(String serviceItemId) {
        return new Finish(outcome, missingMaterials, reason, legalBasis, transferTo, serviceItemId);
    }
}
