package org.openhall.device.printer.internal;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.device.serial.LinkSpec;

/**
 * Reads the printer and kiosk configurations; a bad value fails with the key and the reason,
 * which the components log together with the file it came from.
 */
final class Config {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    record Printer(org.openhall.device.printer.internal.Printer.Settings settings, List<String> windows, ZoneId zone) {
    }

    record Kiosk(String id, String printer, String printer2, List<String> categories, String qr, String footer,
            Duration printTimeout, ZoneId zone) {
    }

    private Config() {
    }

    static Printer printer(Map<String, ?> properties) throws ConfigProblem {
        ConfigReader p = new ConfigReader(properties);
        String id = id(p, "printer.id");
        String address = p.required("link");
        int baud = p.integer("baud", 9600, 300, 921600);
        int dataBits = p.integer("dataBits", 8, 5, 8);
        int stopBits = p.integer("stopBits", 1, 1, 2);
        String parity = p.optional("parity", "N");
        if (parity.length() != 1 || "NEOMSneoms".indexOf(parity.charAt(0)) < 0) {
            throw new ConfigProblem("parity", "'" + parity + "' is not one of N, E, O, M, S");
        }
        LinkSpec link;
        try {
            link = LinkSpec.parse(address, baud, dataBits, stopBits, parity.charAt(0));
        } catch (IllegalArgumentException e) {
            throw new ConfigProblem("link", e.getMessage());
        }
        Duration poll = Duration.ofMillis(p.integer("pollMillis", 2000, 100, 600_000));
        Duration answer = Duration.ofMillis(p.integer("answerTimeoutMillis", 500, 20, 10_000));
        int attempts = p.integer("attempts", 2, 1, 10);
        return new Printer(new org.openhall.device.printer.internal.Printer.Settings(id, link, poll, answer, attempts), p.list("windows"), zone(p));
    }

    static Kiosk kiosk(Map<String, ?> properties) throws ConfigProblem {
        ConfigReader p = new ConfigReader(properties);
        String id = id(p, "kiosk.id");
        String printer = p.required("printer");
        String printer2 = p.optional("printer2", null);
        List<String> categories = p.list("categories");
        if (categories.isEmpty()) {
            throw new ConfigProblem("categories", "is required: the categories the kiosk's buttons offer, e.g. A,B,C");
        }
        Duration timeout = Duration.ofMillis(p.integer("printTimeoutMillis", 3000, 100, 60_000));
        return new Kiosk(id, printer, printer2, categories, p.optional("qr", null), p.optional("footer", null),
                timeout, zone(p));
    }

    private static ZoneId zone(ConfigReader p) throws ConfigProblem {
        return p.zone("zone", "Asia/Shanghai");
    }

    private static String id(ConfigReader p, String key) throws ConfigProblem {
        return p.matching(key, ID, "an id (letters, digits, '.', '_', '-')");
    }
}
