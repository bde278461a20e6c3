package org.openhall.queue.core.domain;

import java.time.Duration;

/**
 * Tunables of the core's own rules (policy bundles bring their own settings).
 *
 * @param maxConsecutivePriorityCalls fairness bound (R1): after this many priority calls in a row,
 *                                    the oldest normal ticket goes first
 * @param maxNormalWait               fairness bound (R1): a normal ticket waiting longer than this
 *                                    goes before priority tickets
 * @param reactivationWindow          how long after a no-show it may be re-activated (R11)
 * @param reactivationPlacesBehindHead where a re-activated ticket goes: behind this many (R11)
 * @param handlingAverageSamples      transactions in the rolling average handling time
 * @param defaultHandlingTime         the average to assume before any transaction finished
 * @param retentionDays               days of tickets and statistics kept
 */
public record QueueSettings(int maxConsecutivePriorityCalls, Duration maxNormalWait, Duration reactivationWindow,
        int reactivationPlacesBehindHead, int handlingAverageSamples, Duration defaultHandlingTime,
        int retentionDays) {

    public static final QueueSettings DEFAULTS = new QueueSettings(3, Duration.ofMinutes(30), Duration.ofMinutes(30),
            2, 20, Duration.ofMinutes(5), 90);
}
