package org.openhall.queue.core.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;

import org.openhall.api.queue.Figures;

/**
 * Live counts and samples of one slice of a day (hall, category, window or staff), R21. Samples
 * are kept in milliseconds so averages and percentiles are exact; {@link #figures()} turns them
 * into {@link Figures} in seconds.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
final class FiguresAccumulator {

    long issued;
    long served;
    long noShows;
    long transfers;
    long overruns;
    long rated;
    long satisfied;
    List<Long> waitMillis = new ArrayList<>();
    List<Long> handlingMillis = new ArrayList<>();

    FiguresAccumulator() {
    }

    Figures figures() {
        return new Figures(issued, served, noShows, transfers, mean(waitMillis) / 1000.0, p90(waitMillis) / 1000.0,
                mean(handlingMillis) / 1000.0, p90(handlingMillis) / 1000.0, overruns, rated, satisfied);
    }

    static double mean(List<Long> samples) {
        if (samples.isEmpty()) {
            return 0;
        }
        long sum = 0;
        for (long v : samples) {
            sum += v;
        }
        return (double) sum / samples.size();
    }

    /**
     * The 90th percentile by the nearest-rank method: the smallest sample such that at least 90 %
     * of the samples are less than or equal to it (sorted ascending, element ⌈0.9·n⌉).
     */
    static double p90(List<Long> samples) {
        if (samples.isEmpty()) {
            return 0;
        }
        long[] sorted = samples.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(0.9 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
