package org.openhall.device.copier.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;

/**
 * Reads a copy counter module's configuration ({@code etc/org.openhall.copier-<name>.cfg}); a bad
 * value fails with the key and the reason, which the component logs with the file.
 */
final class Config {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern POINT = Pattern.compile("(holding|input|discrete|coil):(\\d{1,5})");
    private static final Pattern SERIAL = Pattern.compile("serial:(/.+)");
    private static final Pattern TCP = Pattern.compile("tcp:([A-Za-z0-9.\\-]+|\\[[0-9a-fA-F:]+\\]):(\\d{1,5})");

    /** Where the module hangs: a serial port (RTU) or a Modbus TCP gateway. */
    record Link(String key, Path port, int baud, int dataBits, int stopBits, int parity, String host, int tcpPort) {
        boolean serial() {
            return port != null;
        }

        /** Whether another module may share this bus: the same line settings. */
        boolean sameLine(Link o) {
            return key.equals(o.key) && baud == o.baud && dataBits == o.dataBits && stopBits == o.stopBits && parity == o.parity;
        }

        @Override
        public String toString() {
            return key;
        }
    }

    /** A register or bit of the module: a table and an address (0-based, as on the wire). */
    record Point(String table, int address) {
        @Override
        public String toString() {
            return table + ":" + address;
        }
    }

    record Copier(String id, String name, Point counter, int width, boolean highWordFirst, Point jam, Point trayEmpty) {
    }

    record Module(String id, Link link, int unitId, List<Copier> copiers, Duration poll, Duration timeout, int attempts,
            long maxStep, String category, ZoneId zone, String faultText) {
    }

    private Config() {
    }

    static Module module(Map<String, ?> properties) throws ConfigProblem {
        ConfigReader p = new ConfigReader(properties);
        String id = p.matching("module.id", ID, "an id (letters, digits, '.', '_', '-')");
        int baud = p.integer("baud", 9600, 300, 921600);
        int dataBits = p.integer("dataBits", 8, 5, 8);
        int stopBits = p.integer("stopBits", 1, 1, 2);
        String parity = p.optional("parity", "N").trim().toUpperCase();
        int parityCode = "NOEMS".indexOf(parity); // jSerialComm's codes: NO, ODD, EVEN, MARK, SPACE = 0..4
        if (parity.length() != 1 || parityCode < 0) {
            throw new ConfigProblem("parity", "'" + parity + "' is not one of N, E, O, M, S");
        }
        Link link = link(p.required("link").trim(), baud, dataBits, stopBits, parityCode);
        int unitId = p.integer("unitId", 1, 1, 247);
        List<String> ids = p.list("copiers");
        if (ids.isEmpty()) {
            throw new ConfigProblem("copiers", "is required: the ids of the copiers this module counts, e.g. copier1,copier2");
        }
        List<Copier> copiers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String c : ids) {
            if (!ID.matcher(c).matches()) {
                throw new ConfigProblem("copiers", "'" + c + "' is not an id (letters, digits, '.', '_', '-')");
            }
            if (!seen.add(c)) {
                throw new ConfigProblem("copiers", "'" + c + "' is listed twice");
            }
            copiers.add(copier(p, c));
        }
        Duration poll = Duration.ofMillis(p.integer("pollMillis", 1000, 100, 600_000));
        Duration timeout = Duration.ofMillis(p.integer("timeoutMillis", 300, 20, 10_000));
        int attempts = p.integer("attempts", 2, 1, 10);
        long maxStep = p.longInteger("maxStep", 2000, 1, 1_000_000);
        String category = p.optional("category", null);
        return new Module(id, link, unitId, List.copyOf(copiers), poll, timeout, attempts, maxStep,
                category == null || category.isBlank() ? null : category.trim(), p.zone("zone", "Asia/Shanghai"),
                p.optional("text.fault", null));
    }

    private static Copier copier(ConfigReader p, String id) throws ConfigProblem {
        String k = "copier." + id + ".";
        Point counter = point(p, k + "counter", true, Set.of("holding", "input"));
        int width = p.integer(k + "width", 16, 16, 32);
        if (width != 16 && width != 32) {
            throw new ConfigProblem(k + "width", width + " is neither 16 nor 32");
        }
        if (width == 32 && counter.address() > 65534) {
            throw new ConfigProblem(k + "counter", "a 32-bit counter needs two registers: " + counter.address() + " is the last one");
        }
        String order = p.optional(k + "wordOrder", "high-first").trim();
        if (!order.equals("high-first") && !order.equals("low-first")) {
            throw new ConfigProblem(k + "wordOrder", "'" + order + "' is neither high-first nor low-first");
        }
        Point jam = point(p, k + "jam", false, Set.of("discrete", "coil"));
        Point tray = point(p, k + "trayEmpty", false, Set.of("discrete", "coil"));
        String name = p.optional(k + "name", id).trim();
        return new Copier(id, name.isEmpty() ? id : name, counter, width, order.equals("high-first"), jam, tray);
    }

    private static Point point(ConfigReader p, String key, boolean required, Set<String> tables) throws ConfigProblem {
        String v = required ? p.required(key) : p.optional(key, null);
        if (v == null || v.isBlank()) {
            return null;
        }
        Matcher m = POINT.matcher(v.trim());
        if (!m.matches() || !tables.contains(m.group(1))) {
            throw new ConfigProblem(key, "'" + v + "' is not " + String.join(" or ", tables.stream().sorted().map(t -> t + ":<address>").toList()));
        }
        int address = Integer.parseInt(m.group(2));
        if (address > 65535) {
            throw new ConfigProblem(key, address + " is outside 0..65535");
        }
        return new Point(m.group(1), address);
    }

    private static Link link(String v, int baud, int dataBits, int stopBits, int parity) throws ConfigProblem {
        Matcher s = SERIAL.matcher(v);
        if (s.matches()) {
            Path port = Path.of(s.group(1));
            return new Link("serial:" + port, port, baud, dataBits, stopBits, parity, null, 0);
        }
        Matcher t = TCP.matcher(v);
        if (t.matches()) {
            int port = Integer.parseInt(t.group(2));
            if (port < 1 || port > 65535) {
                throw new ConfigProblem("link", port + " is outside 1..65535");
            }
            String host = t.group(1).replace("[", "").replace("]", "");
            return new Link("tcp:" + host + ":" + port, null, 0, 0, 0, 0, host, port);
        }
        throw new ConfigProblem("link", "'" + v + "' is neither serial:/dev/… (Modbus RTU) nor tcp:HOST:PORT (Modbus TCP, port 502)");
    }
}
