package org.openhall.queue.core.domain;

import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;

import org.openhall.api.queue.DayStatistics;
import org.openhall.api.queue.Figures;

/**
 * The live statistics of the current day (R21): one {@link FiguresAccumulator} for the hall and
 * one per category, window and staff member, plus the accuracy of the waiting-time estimates.
 * Frozen into a {@link DayStatistics} at the day rollover.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
final class DayAccumulator {

    FiguresAccumulator hall = new FiguresAccumulator();
    TreeMap<String, FiguresAccumulator> byCategory = new TreeMap<>();
    TreeMap<String, FiguresAccumulator> byWindow = new TreeMap<>();
    TreeMap<String, FiguresAccumulator> byStaff = new TreeMap<>();
    long estimateSamples;
    /** Sum of |actual − predicted| in seconds. */
    long estimateAbsErrorSum;
    /** Sum of (actual − predicted) in seconds. */
    long estimateErrorSum;

    DayAccumulator() {
    }

    /** Applies {@code change} to the hall and to each given slice; null ids are skipped. */
    void each(String categoryId, String windowId, String staffId, Consumer<FiguresAccumulator> change) {
        change.accept(hall);
        if (categoryId != null) {
            change.accept(byCategory.computeIfAbsent(categoryId, k -> new FiguresAccumulator()));
        }
        eachAtWindow(windowId, staffId, change);
    }

    /** Applies {@code change} to the window's and the staff member's slices only. */
    void eachAtWindow(String windowId, String staffId, Consumer<FiguresAccumulator> change) {
        if (windowId != null) {
            change.accept(byWindow.computeIfAbsent(windowId, k -> new FiguresAccumulator()));
        }
        if (staffId != null) {
            change.accept(byStaff.computeIfAbsent(staffId, k -> new FiguresAccumulator()));
        }
    }

    void estimate(long actualSeconds, long predictedSeconds) {
        long error = actualSeconds - predictedSeconds;
        estimateSamples++;
        estimateErrorSum += error;
        estimateAbsErrorSum += Math.abs(error);
    }

    DayStatistics statistics(LocalDate day) {
        DayStatistics.EstimateAccuracy accuracy = estimateSamples == 0 ? DayStatistics.EstimateAccuracy.NONE
                : new DayStatistics.EstimateAccuracy(estimateSamples, (double) estimateAbsErrorSum / estimateSamples,
                        (double) estimateErrorSum / estimateSamples);
        return new DayStatistics(day, hall.figures(), figures(byCategory), figures(byWindow), figures(byStaff),
                accuracy);
    }

    private static Map<String, Figures> figures(Map<String, FiguresAccumulator> slices) {
        Map<String, Figures> out = new TreeMap<>();
        slices.forEach((k, v) -> out.put(k, v.figures()));
        return out;
    }
}
