package org.openhall.device.printer.internal;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.openhall.device.serial.LinkSpec;

/**
 * Reads the printer and kiosk configurations; a bad value fails with the key and the reason,
 * which the components log together with the file it came from.
 */
final class Config {

    static final String FILE_PROPERTY = "felix.fileinstall.filename";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** A configuration value that cannot be used. */
    static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;
        final String key;
        final String reason;

        Problem(String key, String reason) {
            super(key + ": " + reason);
            this.key = key;
            this.reason = reason;
        }
    }

    record Printer(TicketPrinter.Settings settings, List<String> windows, ZoneId zone) {
    }

    record Kiosk(String id, String printer, String printer2, List<String> categories, String qr, String footer,
            Duration printTimeout, ZoneId zone) {
    }

    private Config() {
    }

    /** The file a configuration came from, or its PID. */
    static String source(Map<String, ?> p) {
        Object file = p.get(FILE_PROPERTY);
        if (file != null) {
            String s = file.toString();
            return s.startsWith("file:") ? s.substring(5) : s;
        }
        return "configuration " + p.get("service.pid");
    }

    static Printer printer(Map<String, ?> p) throws Problem {
        String id = id(p, "printer.id");
        String address = required(p, "link");
        int baud = integer(p, "baud", 9600, 300, 921600);
        int dataBits = integer(p, "dataBits", 8, 5, 8);
        int stopBits = integer(p, "stopBits", 1, 1, 2);
        String parity = optional(p, "parity", "N");
        if (parity.length() != 1 || "NEOMSneoms".indexOf(parity.charAt(0)) < 0) {
            throw new Problem("parity", "'" + parity + "' is not one of N, E, O, M, S");
        }
        LinkSpec link;
        try {
            link = LinkSpec.parse(address, baud, dataBits, stopBits, parity.charAt(0));
        } catch (IllegalArgumentException e) {
            throw new Problem("link", e.getMessage());
        }
        Duration poll = Duration.ofMillis(integer(p, "pollMillis", 2000, 100, 600_000));
        Duration answer = Duration.ofMillis(integer(p, "answerTimeoutMillis", 500, 20, 10_000));
        int attempts = integer(p, "attempts", 2, 1, 10);
        return new Printer(new TicketPrinter.Settings(id, link, poll, answer, attempts), list(p, "windows"), zone(p));
    }

    static Kiosk kiosk(Map<String, ?> p) throws Problem {
        String id = id(p, "kiosk.id");
        String printer = required(p, "printer");
        String printer2 = optional(p, "printer2", null);
        List<String> categories = list(p, "categories");
        if (categories.isEmpty()) {
            throw new Problem("categories", "is required: the categories the kiosk's buttons offer, e.g. A,B,C");
        }
        Duration timeout = Duration.ofMillis(integer(p, "printTimeoutMillis", 3000, 100, 60_000));
        return new Kiosk(id, printer, printer2, categories, optional(p, "qr", null), optional(p, "footer", null),
                timeout, zone(p));
    }

    private static ZoneId zone(Map<String, ?> p) throws Problem {
        String z = optional(p, "zone", "Asia/Shanghai");
        try {
            return ZoneId.of(z);
        } catch (DateTimeException e) {
            throw new Problem("zone", "'" + z + "' is not a time zone (e.g. Asia/Shanghai)");
        }
    }

    private static String id(Map<String, ?> p, String key) throws Problem {
        String id = required(p, key);
        if (!ID.matcher(id).matches()) {
            throw new Problem(key, "'" + id + "' is not an id (letters, digits, '.', '_', '-')");
        }
        return id;
    }

    private static String required(Map<String, ?> p, String key) throws Problem {
        String v = optional(p, key, null);
        if (v == null) {
            throw new Problem(key, "is required");
        }
        return v;
    }

    private static String optional(Map<String, ?> p, String key, String fallback) {
        Object v = p.get(key);
        if (v == null || v.toString().isBlank()) {
            return fallback;
        }
        return v.toString().trim();
    }

    private static int integer(Map<String, ?> p, String key, int fallback, int min, int max) throws Problem {
        Object v = p.get(key);
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
                throw new Problem(key, "'" + v + "' is not a whole number");
            }
        }
        if (value < min || value > max) {
            throw new Problem(key, value + " is outside " + min + ".." + max);
        }
        return value;
    }

    private static List<String> list(Map<String, ?> p, String key) {
        Object v = p.get(key);
        List<String> items = new ArrayList<>();
        if (v instanceof String[] a) {
            Arrays.stream(a).forEach(s -> split(s, items));
        } else if (v instanceof Collection<?> c) {
            c.forEach(o -> split(String.valueOf(o), items));
        } else if (v != null) {
            split(v.toString(), items);
        }
        return List.copyOf(items);
    }

    private static void split(String s, List<String> into) {
        for (String part : s.split(",")) {
            if (!part.isBlank()) {
                into.add(part.trim());
            }
        }
    }
}
