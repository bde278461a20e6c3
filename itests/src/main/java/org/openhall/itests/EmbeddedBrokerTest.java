package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.runtime.HallHome;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The embedded hall broker (bundle org.openhall.mqtt.broker) in Felix: moved to free ports by
 * rewriting etc/org.openhall.mqtt.broker.cfg (restored afterwards), with a bridge connection to
 * it. Anyone subscribes (MQTT and WebSocket); only an authenticated user's command is run.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class EmbeddedBrokerTest {

    static final String ROOT = "openhall/v1/demo";
    static final String USER = "itest-kiosk";
    static final String PASSWORD = "itest-secret";
    /** The hall's own connection: it reads the commands, so it authenticates too. */
    static final String HALL_USER = "itest-hall";
    static final String HALL_PASSWORD = "itest-hall-secret";
    /** A kiosk that may only issue tickets and check in (permissions). */
    static final String KIOSK_ONLY = "itest-kiosk-only";
    static final String KIOSK_ONLY_PASSWORD = "itest-kiosk-only-secret";

    @InjectBundleContext
    static BundleContext context;

    @InjectService(timeout = 30_000)
    static HallHome home;

    static Path brokerCfg;
    static String originalBrokerCfg;
    static Path connectionCfg;
    static int port;
    static int wsPort;
    static MqttWatcher screen;
    static EventRecorder events;

    @BeforeAll
    static void start() throws Exception {
        port = freePort();
        wsPort = freePort();
        events = new EventRecorder(context);
        brokerCfg = home.etc().resolve("org.openhall.mqtt.broker.cfg");
        originalBrokerCfg = Files.exists(brokerCfg) ? Files.readString(brokerCfg) : null;
        write(brokerCfg, String.join("\n", "enabled = true", "host = 127.0.0.1", "port = " + port,
                "websocketPort = " + wsPort, "users = " + USER + ":" + hash(PASSWORD) + ", " + HALL_USER + ":" + hash(HALL_PASSWORD)
                        + ", " + KIOSK_ONLY + ":" + hash(KIOSK_ONLY_PASSWORD),
                // Only the hall's connection speaks for the hall; the restricted kiosk issues tickets only.
                "hallUsers = " + HALL_USER, "permissions = " + KIOSK_ONLY + ": issue-ticket check-in",
                // Read protection on (the demo leaves it off): only users read commands and replies.
                "readProtectedTopics = openhall/+/+/commands/#, openhall/+/+/replies/#", ""));
        connectionCfg = home.etc().resolve("org.openhall.mqtt.connection-embedded.cfg");
        write(connectionCfg, String.join("\n", "uri = tcp://127.0.0.1:" + port, "acceptsCommands = true",
                "username = " + HALL_USER, "password = " + HALL_PASSWORD,
                "backoff.initialMillis = 100", "backoff.maxMillis = 500", ""));
        // A dashboard with a password reads everything, commands and replies included.
        screen = Poll.until("an authenticated subscription to the embedded broker", Poll.DEFAULT, () -> {
            try {
                return Optional.of(new MqttWatcher("tcp://127.0.0.1:" + port, "itest-dashboard", ROOT + "/#", false,
                        USER, PASSWORD));
            } catch (Exception notYet) {
                return Optional.empty();
            }
        });
        Poll.until("the bridge's status on the embedded broker", () -> screen.on("/status").stream()
                .anyMatch(r -> r.payload().contains("\"embedded\":\"connected\"")));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (connectionCfg != null) {
                Files.deleteIfExists(connectionCfg);
            }
            if (originalBrokerCfg != null) {
                write(brokerCfg, originalBrokerCfg);
            } else if (brokerCfg != null) {
                Files.deleteIfExists(brokerCfg);
            }
        } finally {
            if (screen != null) {
                screen.close();
            }
            if (events != null) {
                events.close();
            }
        }
    }

    @Test
    void anUnauthenticatedCommandIsRefusedAnAuthenticatedOneIsRun() throws Exception {
        String refused = UUID.randomUUID().toString();
        String accepted = UUID.randomUUID().toString();
        try (MqttWatcher anonymous = new MqttWatcher("tcp://127.0.0.1:" + port, "itest-anonymous-kiosk", null, false)) {
            // QoS 1: the broker acknowledges the refused command (and drops it), so this returns once it was decided.
            anonymous.publish(ROOT + "/commands/issue-ticket",
                    "{\"requestId\":\"" + refused + "\",\"clientId\":\"anonymous-kiosk\",\"category\":\"A\"}", 1);
        }
        try (MqttWatcher kiosk = new MqttWatcher("tcp://127.0.0.1:" + port, "itest-kiosk", null, false, USER, PASSWORD)) {
            kiosk.publish(ROOT + "/commands/issue-ticket",
                    "{\"requestId\":\"" + accepted + "\",\"clientId\":\"itest-kiosk\",\"category\":\"A\"}");
        }
        // Replies leave the bridge in the order of the commands: the refused one would have come first.
        MqttWatcher.Received reply = Poll.until("the reply to the authenticated command", Poll.DEFAULT,
                () -> screen.on("/replies/itest-kiosk").stream().filter(r -> r.payload().contains(accepted)).findFirst(),
                () -> screen.on("/replies/"));
        assertTrue(reply.payload().contains("\"ok\":true"), reply.payload());
        assertEquals(List.of(), screen.on("/replies/anonymous-kiosk"), "no reply to the unauthenticated command");
        assertEquals(0, events.all().stream().filter(e -> refused.equals(e.getProperty(QueueEvents.REQUEST_ID))).count(),
                "the unauthenticated command issued nothing");
    }

    @Test
    void anonymousSubscribersReadStateAndEventsButNeitherCommandsNorReplies() throws Exception {
        String requestId = UUID.randomUUID().toString();
        try (MqttWatcher anonymous = new MqttWatcher("tcp://127.0.0.1:" + port, "itest-anonymous-screen", null, false)) {
            // Moquette decides per subscription: a filter that can match a command or a reply is refused as a whole.
            assertEquals(0x80, anonymous.trySubscribe(ROOT + "/#"), "openhall/# would match commands (a staff PIN)");
            assertEquals(0x80, anonymous.trySubscribe(ROOT + "/commands/+"));
            assertEquals(0x80, anonymous.trySubscribe(ROOT + "/replies/#"));
            assertEquals(1, anonymous.trySubscribe(ROOT + "/events/#"));
            assertEquals(1, anonymous.trySubscribe(ROOT + "/status"));
            try (MqttWatcher kiosk = new MqttWatcher("tcp://127.0.0.1:" + port, "itest-kiosk-2", null, false, USER,
                    PASSWORD)) {
                kiosk.publish(ROOT + "/commands/issue-ticket",
                        "{\"requestId\":\"" + requestId + "\",\"clientId\":\"itest-kiosk-2\",\"category\":\"A\"}");
            }
            // The authenticated dashboard reads the command and its reply …
            Poll.until("the command on the dashboard", () -> screen.on("/commands/issue-ticket").stream()
                    .anyMatch(r -> r.payload().contains(requestId)));
            Poll.until("the reply on the dashboard", () -> screen.on("/replies/itest-kiosk-2").stream()
                    .anyMatch(r -> r.payload().contains(requestId)));
            // … the anonymous screen only the event of the ticket it issued (and the status).
            Poll.until("the event on the anonymous screen", () -> anonymous.on("/events/ticket.issued").stream()
                    .anyMatch(r -> r.payload().contains(requestId)));
            Poll.until("the status on the anonymous screen", () -> !anonymous.on("/status").isEmpty());
            assertEquals(List.of(), anonymous.on("").stream()
                    .filter(r -> r.topic().contains("/commands/") || r.topic().contains("/replies/")).toList());
        }
    }

    @Test
    void nobodyButTheHallPublishesTheHallsEventsAndState() throws Exception {
        String spoof = UUID.randomUUID().toString();
        String requestId = UUID.randomUUID().toString();
        try (MqttWatcher anonymous = new MqttWatcher("tcp://127.0.0.1:" + port, "itest-spoofer", null, false);
                MqttWatcher kiosk = new MqttWatcher("tcp://127.0.0.1:" + port, "itest-kiosk-spoofer", null, false, USER,
                        PASSWORD)) {
            for (MqttWatcher spoofer : List.of(anonymous, kiosk)) {
                // QoS 1 returns with the PUBACK: the broker has decided (and dropped) each of them.
                spoofer.publish(ROOT + "/events/ticket.called", "{\"ticket\":\"A999\",\"spoof\":\"" + spoof + "\"}");
                spoofer.publish(ROOT + "/status", "{\"online\":false,\"spoof\":\"" + spoof + "\"}");
                spoofer.publish(ROOT + "/categories/A", "{\"waiting\":999,\"spoof\":\"" + spoof + "\"}");
            }
            kiosk.publish(ROOT + "/commands/issue-ticket",
                    "{\"requestId\":\"" + requestId + "\",\"clientId\":\"itest-kiosk-spoofer\",\"category\":\"A\"}");
        }
        // The hall's own event and state, published after the spoofs were refused, arrive …
        Poll.until("the hall's event", () -> screen.on("/events/ticket.issued").stream().anyMatch(r -> r.payload().contains(requestId)));
        // … the spoofed ones never did.
        assertEquals(List.of(), screen.on("").stream().filter(r -> r.payload().contains(spoof)).toList());
    }

    @Test
    void theHallsClientIdIsRefusedToOthersAtConnect() {
        MqttException e = assertThrows(MqttException.class,
                () -> new MqttWatcher("tcp://127.0.0.1:" + port, "openhall-demo-embedded", null, false).close());
        assertEquals(MqttException.REASON_CODE_INVALID_CLIENT_ID, e.getReasonCode());
        // The hall's connection kept its session: its status is still online.
        Poll.until("the bridge still connected", () -> screen.on("/status").stream()
                .reduce((a, b) -> b).map(r -> r.payload().contains("\"embedded\":\"connected\"")).orElse(false));
    }

    @Test
    void aKioskUserLimitedToTicketsCannotCallTheNext() throws Exception {
        String callNext = UUID.randomUUID().toString();
        String issue = UUID.randomUUID().toString();
        try (MqttWatcher kiosk = new MqttWatcher("tcp://127.0.0.1:" + port, "itest-kiosk-only", null, false, KIOSK_ONLY,
                KIOSK_ONLY_PASSWORD)) {
            kiosk.publish(ROOT + "/commands/call-next", "{\"requestId\":\"" + callNext + "\",\"clientId\":\"itest-kiosk-only\",\"window\":\"1\"}");
            kiosk.publish(ROOT + "/commands/issue-ticket",
                    "{\"requestId\":\"" + issue + "\",\"clientId\":\"itest-kiosk-only\",\"category\":\"A\"}");
        }
        MqttWatcher.Received reply = Poll.until("the reply to issue-ticket", Poll.DEFAULT,
                () -> screen.on("/replies/itest-kiosk-only").stream().filter(r -> r.payload().contains(issue)).findFirst(),
                () -> screen.on("/replies/"));
        assertTrue(reply.payload().contains("\"ok\":true"), reply.payload());
        assertEquals(List.of(), screen.on("").stream().filter(r -> r.payload().contains(callNext)).toList(),
                "call-next never reached the hall (nor anyone else)");
    }

    @Test
    void aSubscribeSentBeforeTheConnackIsServed() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            byte[] id = "itest-eager".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] filter = (ROOT + "/status").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            // CONNECT (MQTT 3.1.1, clean session, keep alive 60) and SUBSCRIBE (id 5, QoS 1) in one write.
            out.writeBytes(new byte[] { 0x10, (byte) (12 + id.length), 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, (byte) id.length });
            out.writeBytes(id);
            out.writeBytes(new byte[] { (byte) 0x82, (byte) (5 + filter.length), 0, 5, 0, (byte) filter.length });
            out.writeBytes(filter);
            out.write(1);
            s.getOutputStream().write(out.toByteArray());
            java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
            assertEquals(0x20, in.readUnsignedByte(), "CONNACK");
            in.readUnsignedByte();
            in.readUnsignedByte();
            assertEquals(0, in.readUnsignedByte(), "accepted");
            assertEquals(0x90, in.readUnsignedByte(), "SUBACK, not a closed connection");
            assertEquals(3, in.readUnsignedByte());
            assertEquals(0, in.readUnsignedByte());
            assertEquals(5, in.readUnsignedByte());
            assertEquals(1, in.readUnsignedByte(), "granted QoS 1");
        }
    }

    @Test
    void theBrokerReportsItsRefusalsAtTheConsole() throws Exception {
        var refs = context.getServiceReferences((String) null, "(&(osgi.command.scope=broker)(osgi.command.function=status))");
        assertTrue(refs != null && refs.length == 1, "broker:status is registered");
        Object broker = context.getService(refs[0]);
        try {
            String status = (String) broker.getClass().getMethod("status").invoke(broker);
            assertTrue(status.contains("running") && status.contains("refusals: {credentials="), status);
        } finally {
            context.ungetService(refs[0]);
        }
    }

    @Test
    void aWrongPasswordIsRefusedAtConnect() {
        assertThrows(MqttException.class,
                () -> new MqttWatcher("tcp://127.0.0.1:" + port, "itest-intruder", null, false, USER, "wrong").close());
    }

    @Test
    void screensSubscribeOverWebSocket() throws Exception {
        try (MqttWatcher web = new MqttWatcher("ws://127.0.0.1:" + wsPort + "/mqtt", "itest-web-screen", ROOT + "/status", false)) {
            // Moquette 0.17 sends retained messages to a new subscriber without the retain flag.
            Poll.until("the status over WebSocket", () -> web.on("/status").stream()
                    .anyMatch(r -> r.payload().contains("\"online\":true")));
        }
    }

    static void write(Path file, String content) throws IOException {
        Path part = file.resolveSibling("." + file.getFileName() + ".part");
        Files.writeString(part, content);
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A user's hash as hall:hashpin makes it: pbkdf2-sha256$iterations$salt$hash. */
    static String hash(String password) throws Exception {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, 10_000, 256)).getEncoded();
        Base64.Encoder b64 = Base64.getEncoder();
        return "pbkdf2-sha256$10000$" + b64.encodeToString(salt) + "$" + b64.encodeToString(derived);
    }
}
