package org.openhall.queue.core.internal.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.queue.core.domain.OpeningHours;

/** The hall's own kinds of values, on top of the shared {@link ConfigReader}: opening hours and dates. */
final class Props {

    private static final Pattern TIME_RANGE = Pattern.compile("(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})");

    private Props() {
    }

    /** A whole number of minutes within min..max, as a Duration. */
    static Duration minutes(ConfigReader config, String key, int fallback, int min, int max) throws ConfigProblem {
        return Duration.ofMinutes(config.integer(key, fallback, min, max));
    }

    /**
     * "09:00-12:00,13:30-17:30"; empty means closed that day. A period whose close time is before
     * its open time runs past midnight (22:00-02:00); equal times mean around the clock
     * (00:00-00:00), which must then be the day's only period.
     */
    static List<OpeningHours> hours(ConfigReader config, String key) throws ConfigProblem {
        List<OpeningHours> result = new ArrayList<>();
        List<String> ranges = config.list(key);
        LocalTime previousClose = null;
        for (String range : ranges) {
            var m = TIME_RANGE.matcher(range);
            if (!m.matches()) {
                throw new ConfigProblem(key, "'" + range + "' is not a time range like 09:00-12:00");
            }
            LocalTime open;
            LocalTime close;
            try {
                open = LocalTime.parse(pad(m.group(1)));
                close = LocalTime.parse(pad(m.group(2)));
            } catch (DateTimeException e) {
                throw new ConfigProblem(key, "'" + range + "' has an impossible time");
            }
            if (open.equals(close) && ranges.size() > 1) {
                throw new ConfigProblem(key, "'" + range + "' means around the clock and cannot have other periods");
            }
            if (previousClose != null && open.isBefore(previousClose)) {
                throw new ConfigProblem(key, "'" + range + "' overlaps or precedes the previous period");
            }
            // A period past midnight must be the last of the day.
            previousClose = close.isAfter(open) ? close : LocalTime.MAX;
            result.add(new OpeningHours(open, close));
        }
        return result;
    }

    private static String pad(String time) {
        return time.length() == 4 ? "0" + time : time;
    }

    static List<LocalDate> dates(ConfigReader config, String key) throws ConfigProblem {
        List<LocalDate> result = new ArrayList<>();
        for (String d : config.list(key)) {
            try {
                result.add(LocalDate.parse(d));
            } catch (DateTimeException e) {
                throw new ConfigProblem(key, "'" + d + "' is not a date like 2026-10-01");
            }
        }
        return result;
    }
}
