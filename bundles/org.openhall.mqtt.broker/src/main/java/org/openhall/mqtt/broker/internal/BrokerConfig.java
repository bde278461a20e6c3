package org.openhall.mqtt.broker.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.api.config.Credentials;

/**
 * The embedded broker's configuration ({@code etc/org.openhall.mqtt.broker.cfg}); values may be
 * strings ({@code .cfg}) or typed ({@code .config}). Every problem names its key.
 */
record BrokerConfig(boolean enabled, String host, int port, int websocketPort, String websocketPath,
        Map<String, String> users, List<String> protectedTopics, List<String> readProtectedTopics) {

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
        if (enabled && port == 0 && ws == 0) {
            throw new ConfigProblem("port", "both port and websocketPort are 0: set enabled = false to switch the broker off");
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
        return new BrokerConfig(enabled, host, port, ws, path, Map.copyOf(users), List.copyOf(topics),
                List.copyOf(readTopics));
    }

    /** A port from 1 to 65535, or 0 for none. */
    private static int port(ConfigReader p, String key, int def) throws ConfigProblem {
        return p.integer(key, def, 0, 65535);
    }

    @Override
    public String toString() {
        return "BrokerConfig[" + host + ":" + port + ", ws " + websocketPort + ", " + users.size() + " users]";
    }
}
