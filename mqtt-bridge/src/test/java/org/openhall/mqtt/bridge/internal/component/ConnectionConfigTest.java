package org.openhall.mqtt.bridge.internal.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.mqtt.bridge.internal.component.ConnectionConfig.Kind;

class ConnectionConfigTest {

    static Map<String, Object> file(String name, Object... kv) {
        Map<String, Object> p = new HashMap<>();
        p.put("service.pid", "org.openhall.mqtt.connection~" + name);
        p.put("felix.fileinstall.filename", "file:/srv/openhall/etc/org.openhall.mqtt.connection-" + name + ".cfg");
        for (int i = 0; i < kv.length; i += 2) {
            p.put((String) kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void defaults() throws Exception {
        ConnectionConfig c = ConnectionConfig.parse(file("local", "uri", "tcp://127.0.0.1:1883"));
        assertEquals("local", c.name());
        assertEquals("openhall/v1/demo", c.root("demo"));
        assertEquals("openhall-demo-local", c.clientId("demo"));
        assertEquals(EnumSet.allOf(Kind.class), c.publish());
        assertFalse(c.acceptsCommands());
        assertFalse(c.tls());
        assertEquals(64L * 1024 * 1024, c.outboxMaxBytes());
        assertEquals(16384, c.commandsMaxPayloadBytes());
        assertEquals(Duration.ofMillis(500), c.initialBackoff());
        assertEquals(Duration.ofSeconds(30), c.maxBackoff());
    }

    @Test
    void stringAndTypedValues() throws Exception {
        ConnectionConfig c = ConnectionConfig.parse(file("cloud", "uri", "ssl://mqtt.example.org:8883", "username", "hall",
                "password", "secret", "publish", "events, stats", "acceptsCommands", "true", "topicRoot",
                "gov/{hallId}/v1", "outbox.maxBytes", 4096L, "backoff.maxMillis", "1000"));
        assertEquals(EnumSet.of(Kind.EVENTS, Kind.STATS), c.publish());
        assertTrue(c.acceptsCommands());
        assertTrue(c.tls());
        assertEquals("gov/demo/v1", c.root("demo"));
        assertEquals(4096, c.outboxMaxBytes());
        assertFalse(c.toString().contains("secret"), "never the password: " + c);
        assertEquals(EnumSet.of(Kind.STATE), ConnectionConfig.parse(file("x", "uri", "ws://h:8083/mqtt", "publish",
                new String[] { "state" })).publish());
    }

    @Test
    void problemsNameTheKey() {
        assertEquals("uri", problem(file("a")).key());
        assertEquals("uri", problem(file("a", "uri", "http://h:80")).key());
        assertEquals("uri", problem(file("a", "uri", "tcp://")).key());
        assertEquals("publish", problem(file("a", "uri", "tcp://h:1", "publish", "state,everything")).key());
        assertEquals("acceptsCommands", problem(file("a", "uri", "tcp://h:1", "acceptsCommands", "yes")).key());
        assertEquals("outbox.maxBytes", problem(file("a", "uri", "tcp://h:1", "outbox.maxBytes", "12")).key());
        assertEquals("backoff.initialMillis", problem(file("a", "uri", "tcp://h:1", "backoff.initialMillis", "x")).key());
        assertEquals("backoff.maxMillis", problem(file("a", "uri", "tcp://h:1", "backoff.initialMillis", "900",
                "backoff.maxMillis", "100")).key());
        assertEquals("topicRoot", problem(file("a", "uri", "tcp://h:1", "topicRoot", "openhall/#")).key());
        assertEquals("clientId", problem(file("a", "uri", "tcp://h:1", "clientId", "a b")).key());
        assertEquals("password", problem(file("a", "uri", "tcp://h:1", "password", "p")).key());
        assertEquals("tls.trustStore", problem(file("a", "uri", "ssl://h:1", "tls.trustStore", "/no/such/file.p12")).key());
        assertEquals("name", problem(file("Bad Name", "uri", "tcp://h:1")).key());
    }

    @Test
    void sourceIsTheFile() {
        assertEquals("/srv/openhall/etc/org.openhall.mqtt.connection-a.cfg", ConfigReader.source(file("a")));
        assertEquals("configuration p", ConfigReader.source(Map.of("service.pid", "p")));
    }

    static ConfigProblem problem(Map<String, Object> p) {
        ConfigProblem e = assertThrows(ConfigProblem.class, () -> ConnectionConfig.parse(p));
        assertFalse(e.reason().isEmpty());
        return e;
    }

    @Test
    void replyPrefixesMayNotCoverTheHallsTopics() throws Exception {
        assertEquals(java.util.List.of(), ConnectionConfig.parse(file("a", "uri", "tcp://h:1")).replyPrefixes());
        assertEquals(java.util.List.of("dash/replies/", "cloud/x/"), ConnectionConfig.parse(file("a", "uri", "tcp://h:1",
                "commands.replyPrefixes", "dash/replies/, cloud/x/")).replyPrefixes());
        for (String bad : new String[] { "openhall/", "openhall/v1/", "openhall/v1/demo/", "openhall/v1/demo/status",
                "$SYS/", "a/#", "a\tb/" }) {
            assertEquals("commands.replyPrefixes", problem(file("a", "uri", "tcp://h:1", "commands.replyPrefixes", bad)).key(),
                    bad);
        }
        assertEquals("commands.replyPrefixes", problem(file("a", "uri", "tcp://h:1", "topicRoot", "hall/7",
                "commands.replyPrefixes", "hall/7/x/")).key());
    }
}
