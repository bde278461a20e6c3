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
 *
 * <p>Files in {@code etc/} are UTF-8. FileInstall decodes them with replacement: bytes that are
 * not UTF-8 (a file saved as GBK) arrive as U+FFFD, and a UTF-8 byte order mark arrives as
 * U+FEFF in front of the first key. A byte order mark is accepted (taken off the key, and a
 * first line that was a comment is dropped). A replacement character in any key or value makes
 * the whole configuration invalid: every method that can fail ({@link #required}, {@link #matching},
 * {@link #integer}, {@link #longInteger}, {@link #bool}, {@link #zone}, {@link #checkText}) fails
 * with that key and the reason first, so a parser rejects the file (and its component keeps the
 * last good version) before it uses a garbled value.
 */
public final class ConfigReader {

    /** Where FileInstall records the file a configuration came from. */
    public static final String FILE_PROPERTY = "felix.fileinstall.filename";

    /** What Java makes of a UTF-8 byte order mark at the start of a file. */
    private static final char BOM = '\uFEFF';
    /** What a decoder with replacement (FileInstall's) makes of bytes that are not UTF-8. */
    private static final char REPLACEMENT = '\uFFFD';

    private final Map<String, ?> map;
    private final ConfigProblem textProblem;

    public ConfigReader(Map<String, ?> properties) {
        this.map = withoutByteOrderMark(properties);
        this.textProblem = textProblem(map);
    }

    /** The properties with a byte order mark taken off the key it starts (a comment line it started goes). */
    private static Map<String, ?> withoutByteOrderMark(Map<String, ?> properties) {
        if (properties.keySet().stream().noneMatch(k -> k != null && !k.isEmpty() && k.charAt(0) == BOM)) {
            return properties;
        }
        Map<String, Object> copy = new java.util.LinkedHashMap<>();
        properties.forEach((k, v) -> {
            if (k != null && !k.isEmpty() && k.charAt(0) == BOM) {
                String key = k.substring(1);
                if (key.isEmpty() || key.startsWith("#") || key.startsWith("!")) {
                    return; // "\uFEFF# a comment" was read as a key: it was the file's first comment line
                }
                copy.putIfAbsent(key, v);
            } else {
                copy.put(k, v);
            }
        });
        return copy;
    }

    private static ConfigProblem textProblem(Map<String, ?> properties) {
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (key.indexOf(REPLACEMENT) >= 0) {
                return new ConfigProblem(key, "the key is not valid UTF-8 text; save the file as UTF-8");
            }
            Object v = e.getValue();
            String text = v instanceof String[] a ? String.join(",", a)
                    : v instanceof Collection<?> c ? c.stream().map(String::valueOf).reduce("", String::concat)
                    : v == null ? "" : v.toString();
            int at = text.indexOf(REPLACEMENT);
            if (at >= 0) {
                return new ConfigProblem(key, "the value is not valid UTF-8 text (undecodable bytes at character " + at
                        + "; was the file saved as GBK or another encoding?); save the file as UTF-8");
            }
        }
        return null;
    }

    /**
     * Fails when a key or value of the configuration is not valid text: bytes that were not
     * UTF-8 (see the class comment). The other methods that can fail check this first; call it
     * when a configuration is read only with {@link #optional} and {@link #list}.
     *
     * @since 1.2
     */
    public void checkText() throws ConfigProblem {
        if (textProblem != null) {
            throw new ConfigProblem(textProblem.key(), textProblem.reason());
        }
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
        checkText();
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
        checkText();
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
        checkText();
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
        checkText();
        String v = optional(key, fallback);
        try {
            return ZoneId.of(v);
        } catch (DateTimeException e) {
            throw new ConfigProblem(key, "'" + v + "' is not a time zone (e.g. Asia/Shanghai)");
        }
    }
}
