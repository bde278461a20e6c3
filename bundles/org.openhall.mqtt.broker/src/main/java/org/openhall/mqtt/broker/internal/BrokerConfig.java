package org.openhall.mqtt.broker.internal;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.api.config.Credentials;

/**
 * The embedded broker's configuration ({@code etc/org.openhall.mqtt.broker.cfg}); values may be
 * strings ({@code .cfg}) or typed ({@code .config}). Every problem names its key.
 */
record BrokerConfig(boolean enabled, String host, int port, int websocketPort, String websocketPath,
        Map<String, String> users, List<String> protectedTopics, List<String> readProtectedTopics,
        Set<String> hallUsers, List<String> hallTopics, List<String> hallClientIds, Map<String, Set<String>> permissions,
        int sslPort, int wssPort, String keyStore, String keyStorePassword, String keyStoreType, String keyPassword,
        int healthIntervalSeconds, int healthTimeoutSeconds, int healthFailures) {

    /** The command names of contract v1 (docs/mqtt.md), for {@code permissions}; {@code *} is all of them. */
    static final Set<String> COMMANDS = Set.of("issue-ticket", "check-in", "call-next", "recall", "start",
            "finish", "transfer", "no-show", "reactivate", "pause", "resume", "open-window", "close-window",
            "manual-case", "evaluate", "sign-in-challenge");

    static final String PID = "org.openhall.mqtt.broker";

    /** Commands carry a staff PIN ({@code open-window}); replies answer them: not for anonymous readers. */
    /**
     * What to set as {@code readProtectedTopics} so that only users read commands and replies (then
     * MQTT sign-in may be switched on). Off by default: Moquette checks a subscription once, so an
     * anonymous {@code openhall/#} would be refused as a whole, and watching the whole hall is what
     * screens and newcomers do.
     */
    static final List<String> RECOMMENDED_READ_PROTECTED = List.of("openhall/+/+/commands/#", "openhall/+/+/replies/#");

    static BrokerConfig parse(Map<String, ?> properties) throws ConfigProblem {
        ConfigReader p = new ConfigReader(properties);
        boolean enabled = p.bool("enabled", true);
        String host = p.optional("host", "0.0.0.0");
        int port = port(p, "port", 1883);
        int ws = port(p, "websocketPort", 8083);
        if (enabled && port == 0 && ws == 0 && p.integer("sslPort", 0, 0, 65535) == 0 && p.integer("wssPort", 0, 0, 65535) == 0) {
            throw new ConfigProblem("port", "port, websocketPort, sslPort and wssPort are all 0: set enabled = false to switch the broker off");
        }
        if (port != 0 && port == ws) {
            throw new ConfigProblem("websocketPort", "the same port as port (" + port + ")");
        }
        String path = p.optional("websocketPath", "/mqtt");
        if (!path.startsWith("/")) {
            throw new ConfigProblem("websocketPath", "must start with '/', got '" + path + "'");
        }
        Map<String, String> users = new LinkedHashMap<>();
        for (String entry : p.list("users")) {
            int colon = entry.indexOf(':');
            if (colon < 1 || colon == entry.length() - 1) {
                throw new ConfigProblem("users", "'name:hash' expected, got '" + entry.replaceAll(":.*", ":…") + "'");
            }
            String hash = entry.substring(colon + 1).trim();
            if (!Credentials.wellFormed(hash)) {
                throw new ConfigProblem("users", "the hash of '" + entry.substring(0, colon)
                        + "' is not pbkdf2-sha256$iterations$salt$hash (make one with hall:hashpin PASSWORD)");
            }
            users.put(entry.substring(0, colon).trim(), hash);
        }
        List<String> topics = p.list("protectedTopics");
        if (properties.get("protectedTopics") == null) {
            topics = List.of("openhall/+/+/commands/#");
        }
        for (String t : topics) {
            if (!TopicFilter.valid(t)) {
                throw new ConfigProblem("protectedTopics", "not a topic filter: '" + t + "'");
            }
        }
        List<String> readTopics = p.list("readProtectedTopics");
        if (properties.get("readProtectedTopics") == null) {
            readTopics = List.of(); // off: anyone may watch the whole hall (openhall/#), see the OCD
        }
        for (String t : readTopics) {
            if (!TopicFilter.valid(t)) {
                throw new ConfigProblem("readProtectedTopics", "not a topic filter: '" + t + "'");
            }
        }
        Set<String> hallUsers = new LinkedHashSet<>(p.list("hallUsers"));
        for (String u : hallUsers) {
            if (!users.containsKey(u)) {
                throw new ConfigProblem("hallUsers", "'" + u + "' is not one of the users (it needs a password there)");
            }
        }
        List<String> hallTopics = properties.get("hallTopics") == null ? List.of("openhall/#") : p.list("hallTopics");
        for (String t : hallTopics) {
            if (!TopicFilter.valid(t)) {
                throw new ConfigProblem("hallTopics", "not a topic filter: '" + t + "'");
            }
        }
        List<String> hallClientIds = properties.get("hallClientIds") == null ? List.of("openhall-") : p.list("hallClientIds");
        Map<String, Set<String>> permissions = new LinkedHashMap<>();
        for (String entry : p.list("permissions")) {
            int colon = entry.indexOf(':');
            String user = colon < 0 ? "" : entry.substring(0, colon).trim();
            if (user.isEmpty()) {
                throw new ConfigProblem("permissions", "'user: command command …' expected, got '" + entry + "'");
            }
            if (!users.containsKey(user)) {
                throw new ConfigProblem("permissions", "'" + user + "' is not one of the users");
            }
            if (permissions.containsKey(user)) {
                throw new ConfigProblem("permissions", "'" + user + "' is given twice");
            }
            Set<String> commands = new TreeSet<>();
            for (String c : entry.substring(colon + 1).trim().split("\\s+")) {
                if (c.isEmpty()) {
                    continue;
                }
                if (!c.equals("*") && !COMMANDS.contains(c)) {
                    throw new ConfigProblem("permissions", "'" + c + "' (for " + user + ") is not a command of contract v1: "
                            + new TreeSet<>(COMMANDS));
                }
                commands.add(c);
            }
            permissions.put(user, commands.contains("*") ? Set.of("*") : Set.copyOf(commands));
        }
        int ssl = port(p, "sslPort", 0);
        int wss = port(p, "wssPort", 0);
        if (ssl != 0 && (ssl == port || ssl == ws)) {
            throw new ConfigProblem("sslPort", "port " + ssl + " is used by another listener");
        }
        if (wss != 0 && (wss == port || wss == ws || wss == ssl)) {
            throw new ConfigProblem("wssPort", "port " + wss + " is used by another listener");
        }
        String keyStore = p.optional("tls.keyStore", "");
        String keyStorePassword = p.optional("tls.keyStorePassword", "");
        String keyStoreType = p.optional("tls.keyStoreType", keyStore.endsWith(".jks") ? "jks" : "pkcs12");
        String keyPassword = p.optional("tls.keyPassword", keyStorePassword);
        if ((ssl != 0 || wss != 0) && keyStore.isEmpty()) {
            throw new ConfigProblem("tls.keyStore", "sslPort or wssPort is set: the broker's key and certificate are needed");
        }
        if (!keyStore.isEmpty() && !java.nio.file.Files.isReadable(java.nio.file.Path.of(keyStore))) {
            throw new ConfigProblem("tls.keyStore", "cannot read '" + keyStore + "'");
        }
        if (!keyStoreType.equalsIgnoreCase("jks") && !keyStoreType.equalsIgnoreCase("pkcs12")) {
            throw new ConfigProblem("tls.keyStoreType", "jks or pkcs12, got '" + keyStoreType + "'");
        }
        int interval = p.integer("healthCheck.intervalSeconds", 30, 0, 86400);
        int timeout = p.integer("healthCheck.timeoutSeconds", 10, 1, 600);
        int failures = p.integer("healthCheck.failures", 2, 1, 100);
        return new BrokerConfig(enabled, host, port, ws, path, Map.copyOf(users), List.copyOf(topics),
                List.copyOf(readTopics), Set.copyOf(hallUsers), List.copyOf(hallTopics), List.copyOf(hallClientIds),
                Map.copyOf(permissions), ssl, wss, keyStore, keyStorePassword, keyStoreType.toLowerCase(java.util.Locale.ROOT),
                keyPassword, interval, timeout, failures);
    }

    /** A port from 1 to 65535, or 0 for none. */
    private static int port(ConfigReader p, String key, int def) throws ConfigProblem {
        return p.integer(key, def, 0, 65535);
    }

    @Override
    public String toString() {
        return "BrokerConfig[" + host + ":" + port + ", ws " + websocketPort + ", ssl " + sslPort + ", wss " + wssPort + ", "
                + users.size() + " users, hall users " + hallUsers + "]";
    }
}
