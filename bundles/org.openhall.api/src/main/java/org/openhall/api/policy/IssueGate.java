package org.openhall.api.policy;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides whether and how a ticket may be issued or an appointment checked in (for example no
 * tickets after the closing cut-off, R3; late appointments become ordinary tickets, R10). The core
 * checks its own rules first (known category, opening hours), then asks every registered gate in
 * order of service ranking, highest first (ties: lowest service id). Each gate sees the priority
 * the gates before it chose; the first refusal wins.
 *
 * <p>Called under the core's lock: answer quickly, do no I/O and do not call back into the queue.
 * An exception is logged and counts as {@link IssueVerdict#allow()}: a broken policy never stops
 * the kiosks.
 *
 * @since 1.1
 */
@ConsumerType
public interface IssueGate {

    IssueVerdict check(IssueRequest request, HallView hall);
}
