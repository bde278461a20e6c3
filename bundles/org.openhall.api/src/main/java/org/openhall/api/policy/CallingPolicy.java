package org.openhall.api.policy;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Chooses which ticket a window calls next. Without one the core's default applies: priority
 * first (green channel and appointments), then issue time, among the categories the window serves,
 * with a fairness bound so normal tickets are not starved (R1).
 *
 * <p>Called under the core's lock: answer quickly, do no I/O, and do not call back into the queue.
 * An exception or an answer outside the candidates makes the core use its default for that call.
 */
@ConsumerType
public interface CallingPolicy {

    /** @return the number of one of {@link CallingContext#candidates()}, or empty to call nobody */
    Optional<String> chooseNext(CallingContext context);
}
