package org.openhall.mqtt.bridge.internal.component;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
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
        Duration maxBackoff, Duration timeout, boolean allowSignIn, List<String> replyPrefixes) {

    static final String FACTORY_PID = "org.openhall.mqtt.connection";
    static final String DEFAULT_ROOT = "openhall/v1/{hallId}";

    /** Where FileInstall records the file a configuration came from. */

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

    static ConnectionConfig parse(Map<String, ?> properties) throws ConfigProblem {
        ConfigReader p = new ConfigReader(properties);
        String name = name(p, properties);
        String uri = p.required("uri");
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
        String clientId = p.optional("clientId", null);
        if (clientId != null && !CLIENT_ID.matcher(clientId).matches()) {
            throw new ConfigProblem("clientId", "letters, digits, '.', '_', '-', at most 64, got '" + clientId + "'");
        }
        String username = p.optional("username", null);
        String password = p.optional("password", null);
        if (password != null && username == null) {
            throw new ConfigProblem("password", "a password needs a username");
        }
        String root = p.optional("topicRoot", null);
        if (root == null) {
            root = DEFAULT_ROOT;
        }
        String problem = org.openhall.mqtt.bridge.internal.publisher.TopicNames.problem(root);
        if (problem != null || root.startsWith("/") || root.endsWith("/")) {
            throw new ConfigProblem("topicRoot", "must be a topic name without wildcards, control characters or"
                    + " leading or trailing '/'" + (problem == null ? "" : " (" + problem + ")"));
        }
        Set<Kind> publish = kinds(properties.get("publish") == null ? null : p.list("publish"));
        boolean commands = p.bool("acceptsCommands", false);
        String trustStore = file(p, "tls.trustStore");
        String keyStore = file(p, "tls.keyStore");
        long outbox = p.longInteger("outbox.maxBytes", Outbox.DEFAULT_QUOTA, Outbox.MIN_QUOTA, Long.MAX_VALUE);
        int maxPayload = (int) p.longInteger("commands.maxPayloadBytes", CommandParser.DEFAULT_MAX_PAYLOAD_BYTES, 64, Long.MAX_VALUE);
        long initial = p.longInteger("backoff.initialMillis", 500, 10, Long.MAX_VALUE);
        long max = p.longInteger("backoff.maxMillis", 30_000, 10, Long.MAX_VALUE);
        if (max < initial) {
            throw new ConfigProblem("backoff.maxMillis", "must not be below backoff.initialMillis (" + initial + ")");
        }
        long timeout = p.longInteger("timeoutSeconds", 10, 1, Long.MAX_VALUE);
        boolean signIn = p.bool("commands.allowSignIn", false);
        return new ConnectionConfig(name, uri, clientId, username, password, root, publish, commands, trustStore,
                p.optional("tls.trustStorePassword", null), keyStore, p.optional("tls.keyStorePassword", null), outbox, maxPayload,
                Duration.ofMillis(initial), Duration.ofMillis(max), Duration.ofSeconds(timeout), signIn,
                replyPrefixes(p, properties, root));
    }

    /**
     * The connection's name: the key {@code name}, else the name of a factory configuration
     * ({@code org.openhall.mqtt.connection~local} or the file {@code …connection-local.cfg}).
     */
    private static String name(ConfigReader config, Map<String, ?> p) throws ConfigProblem {
        String name = config.optional("name", null);
        if (name == null) {
            Object pid = p.get("service.pid");
            String s = pid == null ? "" : pid.toString();
            if (s.startsWith(FACTORY_PID + "~")) {
                name = s.substring(FACTORY_PID.length() + 1);
            }
        }
        if (name == null) {
            Object file = p.get(ConfigReader.FILE_PROPERTY);
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

    /**
     * {@code commands.replyPrefixes}: topic prefixes outside the hall's root where a command's
     * {@code replyTo} may point besides {@code {root}/replies/}. A prefix that could cover the
     * hall's own topics would let a command user make the hall publish onto its state: refused.
     */
    private static List<String> replyPrefixes(ConfigReader p, Map<String, ?> properties, String root) throws ConfigProblem {
        if (properties.get("commands.replyPrefixes") == null) {
            return List.of();
        }
        int placeholder = root.indexOf("{hallId}");
        String fixed = placeholder < 0 ? root + "/" : root.substring(0, placeholder);
        List<String> out = new java.util.ArrayList<>();
        for (String prefix : p.list("commands.replyPrefixes")) {
            String problem = org.openhall.mqtt.bridge.internal.publisher.TopicNames.problem(prefix);
            if (problem != null || prefix.startsWith("$")) {
                throw new ConfigProblem("commands.replyPrefixes", "'" + prefix + "' is not a topic prefix the hall can publish"
                        + " under" + (problem == null ? "" : ": " + problem));
            }
            if (prefix.startsWith(fixed) || fixed.startsWith(prefix)) {
                throw new ConfigProblem("commands.replyPrefixes", "'" + prefix + "' overlaps the hall's topic root '" + root
                        + "': replies go to {root}/replies/ there, and nowhere else under the root");
            }
            out.add(prefix);
        }
        return List.copyOf(out);
    }

    private static Set<Kind> kinds(List<String> values) throws ConfigProblem {
        if (values == null) {
            return EnumSet.allOf(Kind.class);
        }
        Set<Kind> out = EnumSet.noneOf(Kind.class);
        for (String s : values) {
            try {
                out.add(Kind.valueOf(s.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigProblem("publish", "'" + s + "' is none of state, events, stats");
            }
        }
        return out;
    }

    private static String file(ConfigReader p, String key) throws ConfigProblem {
        String s = p.optional(key, null);
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
