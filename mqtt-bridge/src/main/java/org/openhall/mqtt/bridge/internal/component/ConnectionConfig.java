package org.openhall.mqtt.bridge.internal.component;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.openhall.mqtt.bridge.internal.command.CommandParser;
import org.openhall.mqtt.bridge.internal.outbox.Outbox;

/**
 * One broker connection's configuration ({@code etc/org.openhall.mqtt.connection-<name>.cfg}),
 * read from Config Admin properties that may be strings ({@code .cfg}) or typed ({@code .config}).
 * Every problem names its key.
 */
record ConnectionConfig(String name, String uri, String clientId, String username, String password, String topicRoot,
        Set<Kind> publish, boolean acceptsCommands, String trustStore, String trustStorePassword, String keyStore,
        String keyStorePassword, long outboxMaxBytes, int commandsMaxPayloadBytes, Duration initialBackoff,
        Duration maxBackoff, Duration timeout) {

    static final String FACTORY_PID = "org.openhall.mqtt.connection";
    static final String DEFAULT_ROOT = "openhall/v1/{hallId}";

    /** Where FileInstall records the file a configuration came from. */
    static final String FILE_PROPERTY = "felix.fileinstall.filename";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Set<String> SCHEMES = Set.of("tcp", "ssl", "ws", "wss");

    /** What a connection carries besides {@code status} (and replies, with commands). */
    enum Kind {
        STATE, EVENTS, STATS
    }

    /** The full topic root for a hall. */
    String root(String hallId) {
        return topicRoot.replace("{hallId}", hallId);
    }

    /** The MQTT client id for a hall. */
    String clientId(String hallId) {
        return clientId != null ? clientId : "openhall-" + hallId + "-" + name;
    }

    boolean carries(Kind kind) {
        return publish.contains(kind);
    }

    boolean tls() {
        return uri.startsWith("ssl:") || uri.startsWith("wss:");
    }

    /** The file (or PID) a configuration came from, for log lines. */
    static String source(Map<String, ?> properties) {
        Object file = properties.get(FILE_PROPERTY);
        if (file != null) {
            String s = file.toString();
            return s.startsWith("file:") ? s.substring("file:".length()) : s;
        }
        Object pid = properties.get("service.pid");
        return pid == null ? "(unknown configuration)" : "configuration " + pid;
    }

    static ConnectionConfig parse(Map<String, ?> p) throws ConfigProblem {
        String name = name(p);
        String uri = required(p, "uri");
        try {
            URI u = new URI(uri);
            if (u.getScheme() == null || !SCHEMES.contains(u.getScheme().toLowerCase(Locale.ROOT))) {
                throw new ConfigProblem("uri", "the scheme must be tcp, ssl, ws or wss, got '" + uri + "'");
            }
            if (u.getHost() == null) {
                throw new ConfigProblem("uri", "no host in '" + uri + "'");
            }
        } catch (URISyntaxException e) {
            throw new ConfigProblem("uri", "not a URI: " + e.getMessage());
        }
        String clientId = string(p, "clientId");
        if (clientId != null && !CLIENT_ID.matcher(clientId).matches()) {
            throw new ConfigProblem("clientId", "letters, digits, '.', '_', '-', at most 64, got '" + clientId + "'");
        }
        String username = string(p, "username");
        String password = string(p, "password");
        if (password != null && username == null) {
            throw new ConfigProblem("password", "a password needs a username");
        }
        String root = string(p, "topicRoot");
        if (root == null) {
            root = DEFAULT_ROOT;
        }
        if (root.contains("#") || root.contains("+") || root.startsWith("/") || root.endsWith("/")) {
            throw new ConfigProblem("topicRoot", "no wildcards and no leading or trailing '/', got '" + root + "'");
        }
        Set<Kind> publish = kinds(p);
        boolean commands = bool(p, "acceptsCommands", false);
        String trustStore = file(p, "tls.trustStore");
        String keyStore = file(p, "tls.keyStore");
        long outbox = number(p, "outbox.maxBytes", Outbox.DEFAULT_QUOTA, Outbox.MIN_QUOTA);
        int maxPayload = (int) number(p, "commands.maxPayloadBytes", CommandParser.DEFAULT_MAX_PAYLOAD_BYTES, 64);
        long initial = number(p, "backoff.initialMillis", 500, 10);
        long max = number(p, "backoff.maxMillis", 30_000, 10);
        if (max < initial) {
            throw new ConfigProblem("backoff.maxMillis", "must not be below backoff.initialMillis (" + initial + ")");
        }
        long timeout = number(p, "timeoutSeconds", 10, 1);
        return new ConnectionConfig(name, uri, clientId, username, password, root, publish, commands, trustStore,
                string(p, "tls.trustStorePassword"), keyStore, string(p, "tls.keyStorePassword"), outbox, maxPayload,
                Duration.ofMillis(initial), Duration.ofMillis(max), Duration.ofSeconds(timeout));
    }

    /**
     * The connection's name: the key {@code name}, else the name of a factory configuration
     * ({@code org.openhall.mqtt.connection~local} or the file {@code …connection-local.cfg}).
     */
    private static String name(Map<String, ?> p) throws ConfigProblem {
        String name = string(p, "name");
        if (name == null) {
            Object pid = p.get("service.pid");
            String s = pid == null ? "" : pid.toString();
            if (s.startsWith(FACTORY_PID + "~")) {
                name = s.substring(FACTORY_PID.length() + 1);
            }
        }
        if (name == null) {
            Object file = p.get(FILE_PROPERTY);
            if (file != null) {
                String f = file.toString();
                f = f.substring(f.lastIndexOf('/') + 1);
                String prefix = FACTORY_PID + "-";
                if (f.startsWith(prefix) && f.lastIndexOf('.') > prefix.length()) {
                    name = f.substring(prefix.length(), f.lastIndexOf('.'));
                }
            }
        }
        if (name == null) {
            throw new ConfigProblem("name", "no name: set 'name' or use a file org.openhall.mqtt.connection-<name>.cfg");
        }
        if (!NAME.matcher(name).matches()) {
            throw new ConfigProblem("name", "lower-case letters, digits, '.', '_', '-', at most 64, got '" + name + "'");
        }
        return name;
    }

    private static Set<Kind> kinds(Map<String, ?> p) throws ConfigProblem {
        Object v = p.get("publish");
        if (v == null) {
            return EnumSet.allOf(Kind.class);
        }
        Collection<?> values;
        if (v instanceof Object[] a) {
            values = Arrays.asList(a);
        } else if (v instanceof Collection<?> c) {
            values = c;
        } else {
            values = Arrays.asList(v.toString().split(","));
        }
        Set<Kind> out = EnumSet.noneOf(Kind.class);
        for (Object o : values) {
            String s = String.valueOf(o).trim();
            if (s.isEmpty()) {
                continue;
            }
            try {
                out.add(Kind.valueOf(s.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigProblem("publish", "'" + s + "' is none of state, events, stats");
            }
        }
        return out;
    }

    private static String string(Map<String, ?> p, String key) {
        Object v = p.get(key);
        if (v == null) {
            return null;
        }
        String s = v.toString().trim();
        return s.isEmpty() ? null : s;
    }

    private static String required(Map<String, ?> p, String key) throws ConfigProblem {
        String s = string(p, key);
        if (s == null) {
            throw new ConfigProblem(key, "required");
        }
        return s;
    }

    private static boolean bool(Map<String, ?> p, String key, boolean def) throws ConfigProblem {
        Object v = p.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            return def;
        }
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new ConfigProblem(key, "true or false, got '" + v + "'");
    }

    private static long number(Map<String, ?> p, String key, long def, long min) throws ConfigProblem {
        Object v = p.get(key);
        if (v == null) {
            return def;
        }
        long n;
        if (v instanceof Number num) {
            n = num.longValue();
        } else {
            String s = v.toString().trim();
            if (s.isEmpty()) {
                return def;
            }
            try {
                n = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new ConfigProblem(key, "not a whole number: '" + s + "'");
            }
        }
        if (n < min) {
            throw new ConfigProblem(key, "must be at least " + min + ", got " + n);
        }
        return n;
    }

    private static String file(Map<String, ?> p, String key) throws ConfigProblem {
        String s = string(p, key);
        if (s != null && !Files.isReadable(Path.of(s))) {
            throw new ConfigProblem(key, "cannot read the file '" + s + "'");
        }
        return s;
    }

    @Override
    public String toString() {
        // Never the password.
        return "ConnectionConfig[" + name + " " + uri + "]";
    }
}
