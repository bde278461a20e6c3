package org.openhall.api.policy;

import java.util.Optional;

import org.openhall.api.queue.WindowView;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides whether a window may close (for example not while tickets issued before the cut-off wait
 * in its categories, R3). Asked after the core's own checks, in order of service ranking; the first
 * refusal wins and the operation fails with {@code REFUSED_BY_POLICY} and the gate's text.
 *
 * <p>Called under the core's lock: answer quickly, no I/O, no calls into the queue. An exception is
 * logged and counts as allowed.
 *
 * @since 1.1
 */
@ConsumerType
public interface CloseGate {

    /** @return why the window may not close now, or empty to allow it */
    Optional<String> refuseClose(WindowView window, HallView hall);
}
