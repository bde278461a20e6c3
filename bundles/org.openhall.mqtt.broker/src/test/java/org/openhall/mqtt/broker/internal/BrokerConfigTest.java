package org.openhall.mqtt.broker.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.Credentials;

class BrokerConfigTest {

    /** The demo hall's user kiosk1, password demo-kiosk (runtime/demo/etc/org.openhall.mqtt.broker.cfg). */
    static final String DEMO_HASH = "pbkdf2-sha256$120000$WV2RXe97WDhf9bTOdd92Mg==$WG4t6zmILpD9OyZ4CAWo7zA6tpzwsnj/bGCI6Q4ghVw=";

    static Map<String, Object> props(Object... kv) {
        Map<String, Object> p = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            p.put((String) kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void defaults() throws Exception {
        BrokerConfig c = BrokerConfig.parse(props());
        assertTrue(c.enabled());
        assertEquals("0.0.0.0", c.host());
        assertEquals(1883, c.port());
        assertEquals(8083, c.websocketPort());
        assertEquals("/mqtt", c.websocketPath());
        assertEquals(Map.of(), c.users());
        assertEquals(List.of("openhall/+/+/commands/#"), c.protectedTopics());
        assertEquals(List.of(), c.readProtectedTopics(), "off: anyone may watch openhall/#");
    }

    @Test
    void usersAndTypedValues() throws Exception {
        BrokerConfig c = BrokerConfig.parse(props("enabled", Boolean.FALSE, "port", 1884, "websocketPort", "0",
                "users", "kiosk1:" + DEMO_HASH + ", screen:" + DEMO_HASH, "protectedTopics", new String[] { "a/#", "b/+/c" }));
        assertFalse(c.enabled());
        assertEquals(1884, c.port());
        assertEquals(0, c.websocketPort());
        assertEquals(Map.of("kiosk1", DEMO_HASH, "screen", DEMO_HASH), c.users());
        assertEquals(List.of("a/#", "b/+/c"), c.protectedTopics());
        assertFalse(c.toString().contains(DEMO_HASH), "never the hashes: " + c);
    }

    @Test
    void problemsNameTheKey() {
        assertEquals("enabled", problem(props("enabled", "yes")));
        assertEquals("port", problem(props("port", "70000")));
        assertEquals("port", problem(props("port", "mqtt")));
        assertEquals("port", problem(props("port", "0", "websocketPort", "0")));
        assertEquals("websocketPort", problem(props("port", "1883", "websocketPort", "1883")));
        assertEquals("websocketPath", problem(props("websocketPath", "mqtt")));
        assertEquals("users", problem(props("users", "kiosk1")));
        assertEquals("users", problem(props("users", "kiosk1:plain-password")));
        assertEquals("protectedTopics", problem(props("protectedTopics", "a/#/b")));
        String users = "kiosk1:" + DEMO_HASH + ", openhall:" + DEMO_HASH;
        assertEquals("hallUsers", problem(props("users", users, "hallUsers", "nobody")));
        assertEquals("hallTopics", problem(props("hallTopics", "a/#/b")));
        assertEquals("permissions", problem(props("users", users, "permissions", "kiosk1: issue-ticket call-nxt")));
        assertEquals("permissions", problem(props("users", users, "permissions", "nobody: issue-ticket")));
        assertEquals("permissions", problem(props("users", users, "permissions", "issue-ticket")));
        assertEquals("permissions", problem(props("users", users, "permissions", "kiosk1: issue-ticket, kiosk1: check-in")));
        assertEquals("tls.keyStore", problem(props("sslPort", "8883")));
        assertEquals("tls.keyStore", problem(props("sslPort", "8883", "tls.keyStore", "/nonexistent/broker.p12")));
        assertEquals("sslPort", problem(props("port", "1883", "sslPort", "1883")));
        assertEquals("wssPort", problem(props("websocketPort", "8083", "wssPort", "8083")));
        assertEquals("healthCheck.intervalSeconds", problem(props("healthCheck.intervalSeconds", "-1")));
        assertEquals("healthCheck.failures", problem(props("healthCheck.failures", "0")));
    }

    @Test
    void hallUsersAndPermissions() throws Exception {
        BrokerConfig c = BrokerConfig.parse(props("users", "kiosk1:" + DEMO_HASH + ", caller1:" + DEMO_HASH + ", openhall:" + DEMO_HASH,
                "hallUsers", "openhall", "permissions", "kiosk1: issue-ticket check-in, caller1: *"));
        assertEquals(Set.of("openhall"), c.hallUsers());
        assertEquals(List.of("openhall/#"), c.hallTopics());
        assertEquals(List.of("openhall-"), c.hallClientIds());
        assertEquals(Map.of("kiosk1", Set.of("issue-ticket", "check-in"), "caller1", Set.of("*")), c.permissions());
        assertEquals(30, c.healthIntervalSeconds());
        assertEquals(0, c.sslPort());
        BrokerPolicy p = new BrokerPolicy(c, new Refusals(), "s", new VerifiedPasswords());
        assertEquals(null, p.publishRefusal("openhall/v1/demo/commands/check-in", "kiosk1", "k"));
        assertTrue(p.publishRefusal("openhall/v1/demo/commands/call-next", "kiosk1", "k") != null);
        assertEquals(null, p.publishRefusal("openhall/v1/demo/commands/call-next", "caller1", "c"));
        assertTrue(p.publishRefusal("openhall/v1/demo/status", "caller1", "c") != null);
        assertEquals(null, p.publishRefusal("openhall/v1/demo/status", "openhall", "openhall-demo-local"));
        assertEquals(null, p.publishRefusal("elsewhere/x", null, "a"));
        assertTrue(p.clientIdRefusal("openhall-demo-local", null) != null);
        assertEquals(null, p.clientIdRefusal("openhall-demo-local", "openhall"));
        assertTrue(p.clientIdRefusal(BrokerPolicy.PROBE_CLIENT_PREFIX + "0", "openhall") != null, "the probe's ids are its own");
    }

    @Test
    void passwordsAreCheckedAgainstTheirHash() {
        assertTrue(Credentials.verify("demo-kiosk", DEMO_HASH));
        assertFalse(Credentials.verify("demo-kiosk!", DEMO_HASH));
        assertFalse(Credentials.verify(null, DEMO_HASH));
        assertFalse(Credentials.verify("x", "pbkdf2-sha256$1$$"));
    }

    @Test
    void topicFilters() {
        String commands = "openhall/+/+/commands/#";
        assertTrue(TopicFilter.matches(commands, "openhall/v1/demo/commands/issue-ticket"));
        assertFalse(TopicFilter.matches(commands, "openhall/v1/demo/replies/kiosk-1"));
        assertFalse(TopicFilter.matches(commands, "openhall/v1/commands"));
        assertTrue(TopicFilter.matches("a/+/c", "a/b/c"));
        assertFalse(TopicFilter.matches("a/+/c", "a/b/c/d"));
        assertTrue(TopicFilter.matches("#", "anything/at/all"));
        assertTrue(TopicFilter.valid("openhall/+/+/commands/#"));
        assertFalse(TopicFilter.valid("a/#/b"));
        assertFalse(TopicFilter.valid("a/b+/c"));
        assertFalse(TopicFilter.valid(""));
    }

    @Test
    void filtersOverlapWhenSomeTopicMatchesBoth() {
        String commands = "openhall/+/+/commands/#";
        assertTrue(TopicFilter.overlap("openhall/#", commands));
        assertTrue(TopicFilter.overlap("#", commands));
        assertTrue(TopicFilter.overlap("openhall/v1/demo/commands/issue-ticket", commands));
        assertTrue(TopicFilter.overlap("openhall/v1/demo/+/+", commands));
        assertTrue(TopicFilter.overlap("openhall/v1/demo/commands", commands), "a/# matches a");
        assertTrue(TopicFilter.overlap("+/+/+/+", commands));
        assertFalse(TopicFilter.overlap("openhall/v1/demo/events/#", commands));
        assertTrue(TopicFilter.overlap("openhall/v1/demo/+", commands), "both match openhall/v1/demo/commands");
        assertFalse(TopicFilter.overlap("openhall/+", commands));
        assertFalse(TopicFilter.overlap("openhall/v1/demo/categories/+", commands));
        assertFalse(TopicFilter.overlap("openhall/v1/+/status", commands));
        assertFalse(TopicFilter.overlap("other/#", commands));
        assertFalse(TopicFilter.overlap("openhall/v1/demo/replies/k1", commands));
        assertTrue(TopicFilter.overlap("openhall/v1/demo/replies/k1", "openhall/+/+/replies/#"));
    }

    static String problem(Map<String, Object> p) {
        ConfigProblem e = assertThrows(ConfigProblem.class, () -> BrokerConfig.parse(p));
        assertFalse(e.getMessage().isEmpty());
        return e.key();
    }
}
