package org.openhall.mqtt.broker.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The embedded broker's configuration ({@code etc/org.openhall.mqtt.broker.cfg}); values may be
 * strings ({@code .cfg}) or typed ({@code .config}). Every problem names its key.
 */
record BrokerConfig(boolean enabled, String host, int port, int websocketPort, String websocketPath,
        Map<String, String> users, List<String> protectedTopics) {

    static final String PID = "org.openhall.mqtt.broker";

    /** A value that cannot be used: which key, and why. */
    static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;
        final String key;

        Problem(String key, String reason) {
            super(reason);
            this.key = key;
        }
    }

    static BrokerConfig parse(Map<String, ?> p) throws Problem {
        boolean enabled = bool(p, "enabled", true);
        String host = string(p, "host", "0.0.0.0");
        int port = port(p, "port", 1883);
        int ws = port(p, "websocketPort", 8083);
        if (enabled && port == 0 && ws == 0) {
            throw new Problem("port", "both port and websocketPort are 0: set enabled = false to switch the broker off");
        }
        if (port != 0 && port == ws) {
            throw new Problem("websocketPort", "the same port as port (" + port + ")");
        }
        String path = string(p, "websocketPath", "/mqtt");
        if (!path.startsWith("/")) {
            throw new Problem("websocketPath", "must start with '/', got '" + path + "'");
        }
        Map<String, String> users = new LinkedHashMap<>();
        for (String entry : list(p, "users")) {
            int colon = entry.indexOf(':');
            if (colon < 1 || colon == entry.length() - 1) {
                throw new Problem("users", "'name:hash' expected, got '" + entry.replaceAll(":.*", ":…") + "'");
            }
            String hash = entry.substring(colon + 1).trim();
            if (!Passwords.wellFormed(hash)) {
                throw new Problem("users", "the hash of '" + entry.substring(0, colon)
                        + "' is not pbkdf2-sha256$iterations$salt$hash (make one with hall:hashpin PASSWORD)");
            }
            users.put(entry.substring(0, colon).trim(), hash);
        }
        List<String> topics = list(p, "protectedTopics");
        if (p.get("protectedTopics") == null) {
            topics = List.of("openhall/+/+/commands/#");
        }
        for (String t : topics) {
            if (!TopicFilter.valid(t)) {
                throw new Problem("protectedTopics", "not a topic filter: '" + t + "'");
            }
        }
        return new BrokerConfig(enabled, host, port, ws, path, Map.copyOf(users), List.copyOf(topics));
    }

    /** Where FileInstall records the file a configuration came from. */
    static String source(Map<String, ?> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        if (file != null) {
            String s = file.toString();
            return s.startsWith("file:") ? s.substring("file:".length()) : s;
        }
        return "configuration " + PID;
    }

    private static String string(Map<String, ?> p, String key, String def) {
        Object v = p.get(key);
        String s = v == null ? "" : v.toString().trim();
        return s.isEmpty() ? def : s;
    }

    private static List<String> list(Map<String, ?> p, String key) {
        Object v = p.get(key);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        Collection<?> values = v instanceof Object[] a ? Arrays.asList(a)
                : v instanceof Collection<?> c ? c : Arrays.asList(v.toString().split(","));
        for (Object o : values) {
            String s = String.valueOf(o).trim();
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private static boolean bool(Map<String, ?> p, String key, boolean def) throws Problem {
        Object v = p.get(key);
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v == null ? "" : v.toString().trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            return def;
        }
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new Problem(key, "true or false, got '" + v + "'");
    }

    private static int port(Map<String, ?> p, String key, int def) throws Problem {
        Object v = p.get(key);
        if (v == null || v.toString().isBlank()) {
            return def;
        }
        try {
            int n = v instanceof Number num ? num.intValue() : Integer.parseInt(v.toString().trim());
            if (n < 0 || n > 65535) {
                throw new Problem(key, "a port from 1 to 65535, or 0 for none, got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new Problem(key, "not a port number: '" + v + "'");
        }
    }

    @Override
    public String toString() {
        return "BrokerConfig[" + host + ":" + port + ", ws " + websocketPort + ", " + users.size() + " users]";
    }
}
