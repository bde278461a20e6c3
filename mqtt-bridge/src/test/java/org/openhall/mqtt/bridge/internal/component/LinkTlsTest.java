package org.openhall.mqtt.bridge.internal.component;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
 * A connection over TLS ({@code ssl://}) to a real Mosquitto with a TLS listener: a CA and the
 * broker's certificate are made by {@code openssl} for the test, the CA goes into a PKCS12 trust
 * store made by {@code keytool}, and the connection names it ({@code tls.trustStore}). Without it
 * (the JVM's CAs) the broker's certificate is not trusted and nothing is published.
 */
class LinkTlsTest {

    static final long WAIT_MS = 30_000;
    static final String ROOT = "openhall/v1/" + RealQueue.HALL_ID;

    @TempDir
    Path tmp;
    Process mosquitto;
    int tlsPort;
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
        tlsPort = freePort();
        plainPort = freePort();
        // One TLS listener for the hall; a plain one on loopback for the test's subscriber.
        Files.writeString(tmp.resolve("mosquitto.conf"), String.join("\n", "per_listener_settings false",
                "allow_anonymous true", "user root", "log_dest file " + tmp.resolve("mosquitto.log"),
                "listener " + tlsPort + " 127.0.0.1", "cafile " + tmp.resolve("ca.crt"),
                "certfile " + tmp.resolve("broker.crt"), "keyfile " + tmp.resolve("broker.key"),
                "listener " + plainPort + " 127.0.0.1", ""));
        mosquitto = new ProcessBuilder(Mosquitto.BINARY.toString(), "-c", tmp.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("mosquitto.out").toFile()).start();
        awaitListening(tlsPort);
        awaitListening(plainPort);
        hall = new RealQueue(Files.createDirectories(tmp.resolve("queue")));
        open.add(hall);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (mosquitto != null) {
            mosquitto.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (mosquitto.waitFor(20, TimeUnit.MILLISECONDS)) {
                    fail("mosquitto exited: " + Files.readString(tmp.resolve("mosquitto.out")));
                }
            }
        }
        fail("mosquitto did not listen on " + port + " within 10 s");
    }

    Link link(String... tls) throws Exception {
        Map<String, Object> p = new java.util.HashMap<>(Map.of("service.pid", "org.openhall.mqtt.connection~cloud",
                "uri", "ssl://127.0.0.1:" + tlsPort, "publish", "events", "backoff.initialMillis", "50",
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
}
