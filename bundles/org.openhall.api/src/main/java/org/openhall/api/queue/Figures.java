package org.openhall.api.queue;

/**
 * Counts and times for one day and one slice (hall, category, window or staff) (R21).
 * Waiting time = call time − issue time; handling time = finish − start. Times are seconds;
 * averages and percentiles are 0 when there is no sample.
 *
 * @param issued             tickets issued (for a window or staff: tickets they served)
 * @param served             transactions finished (any outcome but a transfer)
 * @param noShows            tickets marked no-show
 * @param transfers          transactions ended by a transfer
 * @param averageWaitSeconds mean waiting time of called tickets
 * @param p90WaitSeconds     90th percentile of the waiting time
 * @param averageHandlingSeconds mean handling time of finished transactions
 * @param p90HandlingSeconds 90th percentile of the handling time
 * @param overruns           transactions that ran past their service item's time limit (R6)
 */
public record Figures(long issued, long served, long noShows, long transfers, double averageWaitSeconds,
        double p90WaitSeconds, double averageHandlingSeconds, double p90HandlingSeconds, long overruns) {

    public static final Figures EMPTY = new Figures(0, 0, 0, 0, 0, 0, 0, 0, 0);
}
