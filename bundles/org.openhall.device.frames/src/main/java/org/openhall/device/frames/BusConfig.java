package org.openhall.device.frames;

import java.time.Duration;
import java.util.regex.Pattern;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.device.serial.LinkSpec;

/** Reads the keys every bus device's configuration has; a bad value fails with key and reason. */
public final class BusConfig {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern WINDOW = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");

    private BusConfig() {
    }

    /**
     * {@code idKey} (required), {@code window} (required), {@code link} (required), {@code address}
     * (1..247), {@code baud}, {@code dataBits}, {@code stopBits}, {@code parity}, {@code pollMillis},
     * {@code answerTimeoutMillis}, {@code attempts}, {@code offlinePollMillis}.
     */
    public static BusDevice.Settings read(ConfigReader p, String idKey) throws ConfigProblem {
        String id = p.matching(idKey, ID, "an id (letters, digits, '.', '_', '-')");
        String window = p.matching("window", WINDOW, "a window id as configured in the hall");
        String address = p.required("link");
        int busAddress = p.integer("address", 1, Frame68.MIN_ADDRESS, Frame68.MAX_ADDRESS);
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
        Duration poll = Duration.ofMillis(p.integer("pollMillis", 200, 20, 60_000));
        Duration answer = Duration.ofMillis(p.integer("answerTimeoutMillis", 150, 20, 10_000));
        int attempts = p.integer("attempts", 2, 1, 10);
        Duration offline = Duration.ofMillis(p.integer("offlinePollMillis", 2000, 100, 600_000));
        return new BusDevice.Settings(id, window, link, busAddress, poll, answer, attempts, offline);
    }
}
