package org.openhall.policy.followup.internal;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;

/**
 * The hall's working days for follow-up deadlines (R7, R15): every day but the weekend and the
 * hall's holidays (from {@code org.openhall.hall.cfg}, key {@code holidays}).
 *
 * @param zone     the hall's time zone: a day starts at local midnight
 * @param weekend  days of the week that are not working days
 * @param holidays dates that are not working days
 */
record WorkingDays(ZoneId zone, Set<DayOfWeek> weekend, Set<LocalDate> holidays) {

    WorkingDays {
        weekend = Set.copyOf(weekend);
        holidays = Set.copyOf(holidays);
    }

    boolean isWorkingDay(LocalDate d) {
        return !weekend.contains(d.getDayOfWeek()) && !holidays.contains(d);
    }

    /** The {@code n}-th working day after {@code from} (n ≥ 1); {@code from} itself never counts. */
    LocalDate after(LocalDate from, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1");
        }
        LocalDate d = from;
        int left = n;
        for (int guard = 0; guard < 3660; guard++) {
            d = d.plusDays(1);
            if (isWorkingDay(d) && --left == 0) {
                return d;
            }
        }
        throw new IllegalStateException("no " + n + " working days within ten years after " + from);
    }

    /**
     * The deadline of something opened at {@code opened} with {@code n} working days: the end
     * (next local midnight) of the {@code n}-th working day after the day it was opened.
     */
    Instant deadline(Instant opened, int n) {
        return after(opened.atZone(zone).toLocalDate(), n).plusDays(1).atStartOfDay(zone).toInstant();
    }

    /** The last day of a deadline, as people say it ("by 2026-10-09"). */
    LocalDate lastDay(Instant deadline) {
        return deadline.atZone(zone).toLocalDate().minusDays(1);
    }
}
