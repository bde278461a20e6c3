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
 * @param rated              transactions the citizen rated (R7); transactions finished but not
 *                           rated within the evaluator's time are "not rated", never a default rating
 * @param satisfied          ratings 满意 or 非常满意 (levels 4 and 5)
 */
public record Figures(long issued, long served, long noShows, long transfers, double averageWaitSeconds,
        double p90WaitSeconds, double averageHandlingSeconds, double p90HandlingSeconds, long overruns, long rated,
        long satisfied) {

    public static final Figures EMPTY = new Figures(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** The 1.0 constructor: no ratings. */
    public Figures(long issued, long served, long noShows, long transfers, double averageWaitSeconds,
            double p90WaitSeconds, double averageHandlingSeconds, double p90HandlingSeconds, long overruns) {
        this(issued, served, noShows, transfers, averageWaitSeconds, p90WaitSeconds, averageHandlingSeconds,
                p90HandlingSeconds, overruns, 0, 0);
    }

    /** Satisfied ratings over all ratings (R21), 0 without ratings. @since 1.1 */
    public double satisfactionRate() {
        return rated == 0 ? 0 : (double) satisfied / rated;
    }
}
