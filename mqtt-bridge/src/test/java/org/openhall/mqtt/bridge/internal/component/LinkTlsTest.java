package org.openhall.mqtt.bridge.internal.component;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.testsupport.Mosquitto;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.Request;
import org.openhall.mqtt.bridge.internal.payload.DeviceHealth;
import org.openhall.mqtt.bridge.internal.payload.Json;
import org.openhall.mqtt.bridge.internal.publisher.Subscriber;
import org.openhall.queue.core.internal.engine.RealQueue;
import org.osgi.service.event.Event;

/**
 * A connection over TLS to a real Mosquitto: a CA, the broker's certificate and client
 * certificates are made by {@code openssl} for the test (nothing is committed), the CA goes into a
 * PKCS12 trust store made by {@code keytool} ({@code tls.trustStore}), a client certificate and
 * its key into a PKCS12 key store ({@code tls.keyStore}). The broker has four listeners:
 * {@code ssl} with a server certificate only; {@code ssl} and {@code wss} that require a client
 * certificate whose CN is the user name ({@code use_identity_as_username}, the example ACL of
 * mqtt-bridge/mosquitto/ applies, so only the CN {@code openhall} may publish the hall's events);
 * and a plain one on loopback for the test's subscriber.
 */
class LinkTlsTest {

    static final long WAIT_MS = 30_000;
    static final String ROOT = "openhall/v1/" + RealQueue.HALL_ID;
    static final Path EXAMPLE_ACL = Path.of(System.getProperty("user.dir"), "mosquitto", "openhall.acl");

    @TempDir
    Path tmp;
    Mosquitto broker;
    int tlsPort;
    int certPort;
    int wssPort;
    int plainPort;
    RealQueue hall;
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days",
                "2", "-subj", "/CN=OpenHall test CA");
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "broker.key", "-out", "broker.csr", "-subj",
                "/CN=localhost");
        Files.writeString(tmp.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        run("openssl", "x509", "-req", "-in", "broker.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "broker.crt", "-days", "2", "-extfile", "san.ext");
        run("keytool", "-importcert", "-noprompt", "-alias", "openhall-test-ca", "-file", "ca.crt", "-keystore",
                "trust.p12", "-storetype", "PKCS12", "-storepass", "trust-secret");
        clientCertificate("openhall");
        clientCertificate("kiosk1");
        tlsPort = Mosquitto.freePort();
        certPort = Mosquitto.freePort();
        wssPort = Mosquitto.freePort();
        plainPort = Mosquitto.freePort();
        String serverTls = String.join("\n", "cafile " + tmp.resolve("ca.crt"), "certfile " + tmp.resolve("broker.crt"),
                "keyfile " + tmp.resolve("broker.key"));
        String clientCertificates = String.join("\n", serverTls, "require_certificate true", "use_identity_as_username true",
                "use_username_as_clientid true", "allow_anonymous false", "acl_file " + EXAMPLE_ACL);
        broker = Mosquitto.configured(tmp, String.join("\n", "per_listener_settings true", "user root",
                "log_dest file " + tmp.resolve("mosquitto.log"), "log_type all",
                "listener " + tlsPort + " 127.0.0.1", serverTls, "allow_anonymous true",
                "listener " + certPort + " 127.0.0.1", clientCertificates,
                "listener " + wssPort + " 127.0.0.1", "protocol websockets", clientCertificates,
                // the test's subscriber: plain, anonymous, reads everything
                "listener " + plainPort + " 127.0.0.1", "allow_anonymous true", ""),
                tlsPort, certPort, wssPort, plainPort);
        broker.start();
        hall = new RealQueue(Files.createDirectories(tmp.resolve("queue")));
        open.add(hall);
    }

    /** {@code <cn>.p12}: a key and a certificate for {@code CN=<cn>} signed by the test CA. */
    void clientCertificate(String cn) throws Exception {
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", cn + ".key", "-out", cn + ".csr", "-subj",
                "/CN=" + cn);
        Files.writeString(tmp.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        run("openssl", "x509", "-req", "-in", cn + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", cn + ".crt", "-days", "2", "-extfile", "client.ext");
        run("openssl", "pkcs12", "-export", "-in", cn + ".crt", "-inkey", cn + ".key", "-name", cn, "-out", cn + ".p12",
                "-passout", "pass:" + cn + "-secret");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
    }

    Link link(String... tls) throws Exception {
        return linkTo("ssl://127.0.0.1:" + tlsPort, tls);
    }

    Link linkTo(String uri, String... tls) throws Exception {
        Map<String, Object> p = new java.util.HashMap<>(Map.of("service.pid", "org.openhall.mqtt.connection~cloud",
                "uri", uri, "publish", "events", "backoff.initialMillis", "50",
                "backoff.maxMillis", "200", "timeoutSeconds", "5"));
        for (int i = 0; i < tls.length; i += 2) {
            p.put(tls[i], tls[i + 1]);
        }
        Link l = new Link(ConnectionConfig.parse(p), hall.queue(), hall.history(), tmp.resolve("data"), new Link.Context() {
            @Override
            public String software() {
                return "0.1.0";
            }

            @Override
            public Instant started() {
                return Instant.EPOCH;
            }

            @Override
            public Map<String, String> connections() {
                return Map.of();
            }
        }, new ConcurrentHashMap<String, DeviceHealth>());
        open.add(0, l);
        hall.listen(props -> l.handle(new Event(QueueEvents.topic((String) props.get(QueueEvents.TYPE)), props)));
        return l;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        Object monitor = new Object();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for: " + what);
            synchronized (monitor) {
                monitor.wait(20); // polling interval, bounded by the deadline above
            }
        }
    }

    void issue() {
        assertTrue(hall.queue().issueTicket(Request.by(Actor.device("kiosk-1"), UUID.randomUUID().toString()), "A",
                PriorityClass.NORMAL, null).isOk());
    }

    @Test
    void eventsGoOverTlsToABrokerTrustedThroughTheConfiguredTrustStore() throws Exception {
        try (Subscriber screen = new Subscriber("tcp://127.0.0.1:" + plainPort, "screen", ROOT + "/events/#", false)) {
            Link l = link("tls.trustStore", tmp.resolve("trust.p12").toString(), "tls.trustStorePassword", "trust-secret");
            await("connected over TLS", () -> "connected".equals(l.state()));
            long before = hall.seq();
            issue();
            Subscriber.Received r = screen.next("/events/ticket.issued", WAIT_MS);
            assertNotNull(r, "the event arrived through the TLS listener");
            // The ticket's event is the first of its unit (the first operation also opens the hall).
            assertEquals(before + 1, Json.read(r.payload().getBytes(UTF_8)).get("seq").longValue());
        }
    }

    @Test
    void withoutTheTrustStoreTheBrokersCertificateIsRefused() throws Exception {
        Link l = link(); // the JVM's CAs do not know the test CA
        await("a failed TLS handshake", () -> l.lastError() != null);
        issue();
        assertEquals("disconnected", l.state(), "last error: " + l.lastError());
        assertTrue(l.lastError().contains("certification path"), "the reason is named: " + l.lastError());
        await("the event queued", () -> l.lastSeq() == hall.seq());
        assertTrue(l.queued() >= 1, "the event waits in the outbox");
    }

    String[] clientTls(String cn) {
        return new String[] { "tls.trustStore", tmp.resolve("trust.p12").toString(), "tls.trustStorePassword",
                "trust-secret", "tls.keyStore", tmp.resolve(cn + ".p12").toString(), "tls.keyStorePassword", cn + "-secret" };
    }

    String wss() {
        return "wss://127.0.0.1:" + wssPort + "/mqtt";
    }

    /** The hall's connection presents its certificate (CN=openhall), publishes, a subscriber receives. */
    void eventArrivesWithTheClientCertificate(String uri) throws Exception {
        try (Subscriber screen = new Subscriber("tcp://127.0.0.1:" + plainPort, "screen", ROOT + "/events/#", false)) {
            Link l = linkTo(uri, clientTls("openhall"));
            await("connected with the client certificate", () -> "connected".equals(l.state()));
            long before = hall.seq();
            issue();
            Subscriber.Received r = screen.next("/events/ticket.issued", WAIT_MS);
            assertNotNull(r, "the event arrived; the broker took the certificate's CN as the user openhall");
            assertEquals(before + 1, Json.read(r.payload().getBytes(UTF_8)).get("seq").longValue());
        }
    }

    @Test
    void theConnectionSignsInWithItsClientCertificateOverSsl() throws Exception {
        eventArrivesWithTheClientCertificate("ssl://127.0.0.1:" + certPort);
    }

    @Test
    void theConnectionSignsInWithItsClientCertificateOverWss() throws Exception {
        eventArrivesWithTheClientCertificate(wss());
    }

    /** Without a client certificate the listener refuses the connection, the reason is shown, events wait. */
    void refusedWithoutTheClientCertificate(String uri) throws Exception {
        Link l = linkTo(uri, "tls.trustStore", tmp.resolve("trust.p12").toString(), "tls.trustStorePassword",
                "trust-secret");
        await("a refused connection", () -> l.lastError() != null);
        issue();
        assertEquals("disconnected", l.state(), "last error: " + l.lastError());
        assertTrue(l.lastError().contains("certificate_required") || l.lastError().contains("bad_certificate"),
                "the reason is named: " + l.lastError());
        await("the event queued", () -> l.lastSeq() == hall.seq());
        assertTrue(l.queued() >= 1, "the event waits in the outbox");
    }

    @Test
    void withoutAClientCertificateTheSslListenerRefusesTheConnection() throws Exception {
        refusedWithoutTheClientCertificate("ssl://127.0.0.1:" + certPort);
    }

    @Test
    void withoutAClientCertificateTheWssListenerRefusesTheConnection() throws Exception {
        refusedWithoutTheClientCertificate(wss());
    }

    /** A device's certificate (CN=kiosk1) gets in, but the ACL keeps it from speaking for the hall. */
    @Test
    void aDevicesCertificateDoesNotPublishTheHallsEvents() throws Exception {
        try (Subscriber screen = new Subscriber("tcp://127.0.0.1:" + plainPort, "screen", ROOT + "/events/#", false)) {
            Link l = linkTo(wss(), clientTls("kiosk1"));
            await("connected with kiosk1's certificate", () -> "connected".equals(l.state()));
            issue();
            await("the broker acknowledged the event", () -> l.lastSeq() == hall.seq() && l.queued() == 0);
            org.eclipse.paho.client.mqttv3.MqttClient marker = new org.eclipse.paho.client.mqttv3.MqttClient(
                    "tcp://127.0.0.1:" + plainPort, "marker", new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
            marker.connect();
            try {
                marker.publish(ROOT + "/events/marker", "{}".getBytes(UTF_8), 1, false);
            } finally {
                marker.disconnect();
                marker.close();
            }
            Subscriber.Received first = screen.next("", WAIT_MS);
            assertNotNull(first);
            assertEquals(ROOT + "/events/marker", first.topic(), "kiosk1's event was dropped by the broker's ACL");
        }
    }
}
