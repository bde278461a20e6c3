package org.openhall.queue.core.internal.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.openhall.queue.core.domain.OpeningHours;

/**
 * Reads typed values out of a configuration's properties, failing with the key and a reason.
 * Values may come as strings (from {@code .cfg} files) or typed (from {@code .config} files or
 * the console), so every reader accepts both.
 */
final class Props {

    /** Where FileInstall records the file a configuration came from. */
    static final String FILE_PROPERTY = "felix.fileinstall.filename";

    private static final Pattern TIME_RANGE = Pattern.compile("(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})");

    private final Map<String, ?> map;

    Props(Map<String, ?> map) {
        this.map = map;
    }

    /** The file the configuration came from, or its PID when it was not made from a file. */
    static String source(Map<String, ?> properties) {
        Object file = properties.get(FILE_PROPERTY);
        if (file != null) {
            String s = file.toString();
            return s.startsWith("file:") ? s.substring("file:".length()) : s;
        }
        Object pid = properties.get("service.pid");
        return pid == null ? "(unknown configuration)" : "configuration " + pid;
    }

    private String raw(String key) {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof String[] array) {
            return String.join(",", array);
        }
        if (v instanceof Collection<?> c) {
            return String.join(",", c.stream().map(String::valueOf).toList());
        }
        String s = v.toString().trim();
        return s.isEmpty() ? null : s;
    }

    String required(String key) throws ConfigProblem {
        String v = raw(key);
        if (v == null) {
            throw new ConfigProblem(key, "is required");
        }
        return v;
    }

    String optional(String key, String fallback) {
        String v = raw(key);
        return v == null ? fallback : v;
    }

    String matching(String key, Pattern pattern, String what) throws ConfigProblem {
        String v = required(key);
        if (!pattern.matcher(v).matches()) {
            throw new ConfigProblem(key, "'" + v + "' is not " + what);
        }
        return v;
    }

    int integer(String key, int fallback, int min, int max) throws ConfigProblem {
        Object v = map.get(key);
        if (v == null || v.toString().isBlank()) {
            return fallback;
        }
        int value;
        if (v instanceof Number n) {
            value = n.intValue();
        } else {
            try {
                value = Integer.parseInt(v.toString().trim());
            } catch (NumberFormatException e) {
                throw new ConfigProblem(key, "'" + v + "' is not a whole number");
            }
        }
        if (value < min || value > max) {
            throw new ConfigProblem(key, value + " is outside " + min + ".." + max);
        }
        return value;
    }

    Duration minutes(String key, int fallback, int min, int max) throws ConfigProblem {
        return Duration.ofMinutes(integer(key, fallback, min, max));
    }

    boolean bool(String key, boolean fallback) throws ConfigProblem {
        Object v = map.get(key);
        if (v == null || v.toString().isBlank()) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new ConfigProblem(key, "'" + s + "' is neither true nor false");
    }

    /** A comma-separated list (or an array); empty entries are dropped. */
    List<String> list(String key) {
        Object v = map.get(key);
        if (v == null) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        if (v instanceof String[] array) {
            Arrays.stream(array).forEach(s -> split(s, items));
        } else if (v instanceof Collection<?> c) {
            c.forEach(o -> split(String.valueOf(o), items));
        } else {
            split(v.toString(), items);
        }
        return List.copyOf(items);
    }

    private static void split(String s, List<String> into) {
        for (String part : s.split(",")) {
            String t = part.trim();
            if (!t.isEmpty()) {
                into.add(t);
            }
        }
    }

    ZoneId zone(String key, String fallback) throws ConfigProblem {
        String v = optional(key, fallback);
        try {
            return ZoneId.of(v);
        } catch (DateTimeException e) {
            throw new ConfigProblem(key, "'" + v + "' is not a time zone (e.g. Asia/Shanghai)");
        }
    }

    /**
     * "09:00-12:00,13:30-17:30"; empty means closed that day. A period whose close time is before
     * its open time runs past midnight (22:00-02:00); equal times mean around the clock
     * (00:00-00:00), which must then be the day's only period.
     */
    List<OpeningHours> hours(String key) throws ConfigProblem {
        List<OpeningHours> result = new ArrayList<>();
        List<String> ranges = list(key);
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

    List<LocalDate> dates(String key) throws ConfigProblem {
        List<LocalDate> result = new ArrayList<>();
        for (String d : list(key)) {
            try {
                result.add(LocalDate.parse(d));
            } catch (DateTimeException e) {
                throw new ConfigProblem(key, "'" + d + "' is not a date like 2026-10-01");
            }
        }
        return result;
    }
}
