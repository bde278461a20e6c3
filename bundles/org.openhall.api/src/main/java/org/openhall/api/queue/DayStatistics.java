package org.openhall.api.queue;

import java.time.LocalDate;
import java.util.Map;

/**
 * One business day's statistics (R21), kept for the configured retention.
 *
 * @param day        the day
 * @param hall       the whole hall
 * @param byCategory per category id
 * @param byWindow   per window id
 * @param byStaff    per staff id
 * @param estimate   how good the waiting-time estimates given at issue were
 */
public record DayStatistics(LocalDate day, Figures hall, Map<String, Figures> byCategory,
        Map<String, Figures> byWindow, Map<String, Figures> byStaff, EstimateAccuracy estimate) {

    public DayStatistics {
        byCategory = Map.copyOf(byCategory);
        byWindow = Map.copyOf(byWindow);
        byStaff = Map.copyOf(byStaff);
    }

    /**
     * Predicted (at issue) versus actual waiting time of the tickets called so far.
     *
     * @param samples                   tickets with both figures
     * @param meanAbsoluteErrorSeconds  mean of |actual − predicted|
     * @param meanErrorSeconds          mean of (actual − predicted): positive means estimates are too low
     */
    public record EstimateAccuracy(long samples, double meanAbsoluteErrorSeconds, double meanErrorSeconds) {
        public static final EstimateAccuracy NONE = new EstimateAccuracy(0, 0, 0);
    }
}
