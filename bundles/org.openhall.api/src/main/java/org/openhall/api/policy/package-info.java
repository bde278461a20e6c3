/**
 * Where policy bundles plug into the queue core. The core works with none installed (its defaults).
 *
 * <p>Decision points, asked under the core's lock with a {@link HallView}:
 * <ul>
 * <li>{@link CallingPolicy}: which ticket a window calls next; the highest service ranking decides.</li>
 * <li>{@link IssueGate}: whether and with which priority a ticket is issued; every gate is asked,
 * highest ranking first, the first refusal wins.</li>
 * <li>{@link CloseGate}: whether a window may close; likewise.</li>
 * <li>{@link PhasePolicy}: open, extended or closed; the highest service ranking decides.</li>
 * </ul>
 * Ties in ranking go to the lowest service id (the oldest registration). A policy that throws is
 * logged and ignored for that decision.
 *
 * <p>Observers are ordinary Event Admin handlers on {@code org/openhall/queue/*} that act through
 * {@link org.openhall.api.queue.HallQueue} with a {@code SYSTEM} actor: raise and clear alerts,
 * assign categories to tidal windows, mark no-shows. What they must remember across restarts and
 * updates they keep in the journal with {@link org.openhall.api.queue.HallQueue#putPolicyState}.
 */
@Export
@Version("1.1.0")
package org.openhall.api.policy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
