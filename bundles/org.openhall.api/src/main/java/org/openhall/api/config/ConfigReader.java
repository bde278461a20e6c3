package org.openhall.api.config;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads typed values out of a configuration's properties, failing with a {@link ConfigProblem}
 * that names the key and the reason. Values may come as strings (from {@code .cfg} files) or
 * typed (from {@code .config} files or the console), so every reader accepts both; blank values
 * count as absent.
 */
public final class ConfigReader {

    /** Where FileInstall records the file a configuration came from. */
    public static final String FILE_PROPERTY = "felix.fileinstall.filename";

    private final Map<String, ?> map;

    public ConfigReader(Map<String, ?> properties) {
        this.map = properties;
    }

    /** The file a configuration came from, or its PID when it was not made from a file. */
    public static String source(Map<String, ?> properties) {
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

    public String required(String key) throws ConfigProblem {
        String v = raw(key);
        if (v == null) {
            throw new ConfigProblem(key, "is required");
        }
        return v;
    }

    public String optional(String key, String fallback) {
        String v = raw(key);
        return v == null ? fallback : v;
    }

    /** A required value that must match {@code pattern}; {@code what} says what it must be. */
    public String matching(String key, Pattern pattern, String what) throws ConfigProblem {
        String v = required(key);
        if (!pattern.matcher(v).matches()) {
            throw new ConfigProblem(key, "'" + v + "' is not " + what);
        }
        return v;
    }

    public int integer(String key, int fallback, int min, int max) throws ConfigProblem {
        return (int) longInteger(key, fallback, min, max);
    }

    /** As {@link #integer}, for values that may exceed an int (sizes in bytes, durations in ms). */
    public long longInteger(String key, long fallback, long min, long max) throws ConfigProblem {
        Object v = map.get(key);
        if (v == null || v.toString().isBlank()) {
            return fallback;
        }
        long value;
        if (v instanceof Number n) {
            value = n.longValue();
        } else {
            try {
                value = Long.parseLong(v.toString().trim());
            } catch (NumberFormatException e) {
                throw new ConfigProblem(key, "'" + v + "' is not a whole number");
            }
        }
        if (value < min || value > max) {
            throw new ConfigProblem(key, value + " is outside " + min + ".." + max);
        }
        return value;
    }

    public boolean bool(String key, boolean fallback) throws ConfigProblem {
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

    /** A comma-separated list (or an array or collection); blank entries are dropped. */
    public List<String> list(String key) {
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

    public ZoneId zone(String key, String fallback) throws ConfigProblem {
        String v = optional(key, fallback);
        try {
            return ZoneId.of(v);
        } catch (DateTimeException e) {
            throw new ConfigProblem(key, "'" + v + "' is not a time zone (e.g. Asia/Shanghai)");
        }
    }
}
