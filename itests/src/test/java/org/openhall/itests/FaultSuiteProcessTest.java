package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adversarial run of issue 17 as a repeatable suite, against the shipped jar with the demo
 * hall's configuration and its embedded broker (on free ports), with real MQTT clients:
 *
 * <ol>
 * <li><b>Hostile commands</b>: {@value #DEFAULT_PAYLOADS} payloads (seeded, {@code -Dfault.seed=…}
 * replays a run, {@code -Dfault.payloads=…} makes it longer) — control characters, wildcards, {@code $SYS}
 * and state topics in {@code replyTo}, forged log lines and NULs in ids, lone surrogates, the
 * payload marker in malformed JSON, deep nesting, huge numbers, oversized and non-UTF-8 payloads —
 * interleaved with well-formed commands. Every payload gets its reply, no reply quotes the payload,
 * nothing is published on the hall's state topics by a reply, and the well-formed ones issue tickets
 * (no message blocks the outbox, points 1, 5, 7).</li>
 * <li><b>kill -9 under load</b>: {@value #DEFAULT_KILLS} rounds ({@code -Dfault.kills=…}) of a burst of
 * commands with SIGKILL in the middle and a restart. Afterwards every command is sent again: each
 * one that had been answered before its kill gets the same ticket (durability and idempotency
 * across kills), each one that had not gets an answer now (points 2 and 5).</li>
 * <li><b>The log</b>: no forged line, no NUL, no payload text, no unexpected exception (points 6, 7).</li>
 * </ol>
 *
 * Its figures go to docs/robustness.md; the long version is documented there.
 */
class FaultSuiteProcessTest {

    static final int DEFAULT_PAYLOADS = 1500;
    static final int DEFAULT_KILLS = 3;
    static final int BURST = 150;
    static final String ROOT = "openhall/v1/demo";
    static final String MARKER = "pin4711x";
    static final Duration START = Duration.ofSeconds(60);
    /** The longest a reply may keep us waiting while others still come (a shared machine is slow). */
    static final long QUIET_MS = 30_000;
    static final Pattern NUMBER = Pattern.compile("\"number\":\"([A-Z][0-9]{3})\"");
    /** The first line of a stack trace. */
    static final Pattern EXCEPTION = Pattern.compile("(java|javax|org|com|io)\\.[\\w.$]*(Exception|Error)\\b");
    static final Pattern REQUEST_ID = Pattern.compile("\"requestId\":\"([^\"]*)\"");

    @TempDir
    Path tmp;

    int port;
    int wsPort;
    final long seed = Long.getLong("fault.seed", System.nanoTime());
    final Random random = new Random(seed);
    /** Every reply the watcher saw: topic and payload. */
    final List<String[]> replies = new CopyOnWriteArrayList<>();
    /** The ticket number of each well-formed command's first ok reply, by request id. */
    final Map<String, String> tickets = new ConcurrentHashMap<>();
    /** Every message the watcher saw on the hall's status topic. */
    final List<String> statuses = new CopyOnWriteArrayList<>();
    final AtomicInteger clients = new AtomicInteger();
    /** Notified on every message the watcher receives. */
    final Object arrivals = new Object();

    @Test
    void hostileCommandsAndKillsUnderLoadLoseNothingAndSilenceNothing() throws Exception {
        int payloads = Integer.getInteger("fault.payloads", DEFAULT_PAYLOADS);
        int kills = Integer.getInteger("fault.kills", DEFAULT_KILLS);
        Path home = home();
        StringBuilder log = new StringBuilder();
        long t0 = System.nanoTime();

        // 1. Hostile commands.
        List<String> wellFormed = new ArrayList<>();
        HallProcess hall = start(home);
        try {
            MqttClient watcher = watcher();
            MqttClient kiosk = kiosk();
            for (int i = 0; i < payloads; i++) {
                if (i % 5 == 0) {
                    String id = "fuzz-ok-" + i;
                    wellFormed.add(id);
                    publish(kiosk, valid(id));
                } else {
                    publish(kiosk, hostile(i));
                }
            }
            String last = "fuzz-after";
            publish(kiosk, valid(last));
            awaitTickets("hostile phase", List.of(last));
            awaitReplies("every hostile payload answered", payloads + 1);
            awaitTickets("every well-formed command of the hostile phase", wellFormed);
            close(kiosk, watcher);
        } finally {
            log.append(stop(hall));
        }
        long fuzzMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        for (String[] r : replies) {
            assertFalse(r[1].contains(MARKER), () -> "a reply quotes the payload: " + r[1]);
            assertTrue(r[0].startsWith(ROOT + "/replies/"), () -> "a reply outside the reply space: " + r[0]);
        }
        for (String s : statuses) {
            assertTrue(s.equals("{\"online\":false}") || s.contains("\"online\":true"), () -> "status spoofed: " + s);
        }

        // 2. kill -9 in the middle of bursts.
        long t1 = System.nanoTime();
        List<String> sent = new ArrayList<>();
        Map<String, String> beforeKill = new LinkedHashMap<>();
        for (int round = 0; round < kills; round++) {
            hall = start(home);
            try {
                MqttClient watcher = watcher();
                MqttClient kiosk = kiosk();
                List<String> burst = new ArrayList<>();
                for (int i = 0; i < BURST; i++) {
                    String id = "kill-" + round + "-" + i;
                    burst.add(id);
                    sent.add(id);
                    publish(kiosk, valid(id));
                }
                // Kill once a part of the burst is answered, the rest still on its way.
                int cut = BURST / 4 + random.nextInt(BURST / 2);
                awaitProgress("round " + round + ": " + cut + " answers before the kill",
                        () -> burst.stream().filter(tickets::containsKey).count(), cut);
                hall.kill();
                for (String id : burst) {
                    String t = tickets.get(id);
                    if (t != null) {
                        beforeKill.put(id, t);
                    }
                }
                close(kiosk, watcher);
            } finally {
                log.append(stop(hall));
            }
        }

        // Every command again, as a kiosk that got no answer would send it.
        hall = start(home);
        Map<String, String> answeredBefore = Map.copyOf(beforeKill);
        tickets.clear();
        try {
            MqttClient watcher = watcher();
            MqttClient kiosk = kiosk();
            for (String id : sent) {
                publish(kiosk, valid(id));
            }
            awaitTickets("every command of the kill rounds, sent again", sent);
            close(kiosk, watcher);
        } finally {
            log.append(stop(hall));
        }
        long killMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1);
        for (Map.Entry<String, String> e : answeredBefore.entrySet()) {
            assertEquals(e.getValue(), tickets.get(e.getKey()),
                    "an answered command keeps its ticket across kill -9: " + e.getKey() + " (seed " + seed + ")");
        }
        Set<String> distinct = Set.copyOf(tickets.values());
        assertEquals(sent.size(), distinct.size(), "one ticket per command, none issued twice");

        // 3. The log.
        String text = log.toString();
        assertFalse(text.indexOf('\u0000') >= 0, "no NUL in the log");
        assertFalse(text.contains(MARKER), "no payload text in the log");
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            assertFalse(line.startsWith("FORGED") || line.contains("ERROR QueueEngine - FORGED"),
                    () -> "a forged log line: " + line);
            boolean trace = i + 1 < lines.length && EXCEPTION.matcher(lines[i + 1]).lookingAt();
            assertFalse(line.contains(" ERROR ") && (line.contains("Exception") || trace),
                    () -> "an unexpected exception: " + line);
        }
        System.out.printf("FaultSuiteProcessTest: seed %d; %d hostile payloads (%d well-formed) answered in %d ms;"
                + " %d kill -9 rounds of %d commands, %d answered before their kill and all kept, %d tickets"
                + " after re-sending, in %d ms%n", seed, payloads, wellFormed.size(), fuzzMillis, kills, BURST,
                answeredBefore.size(), distinct.size(), killMillis);
    }

    /** The demo hall with its embedded broker and local connection on free ports. */
    Path home() throws IOException {
        Path home = HallProcess.demoHome(tmp);
        int[] ports = HallProcess.freePorts(home);
        port = ports[0];
        wsPort = ports[1];
        return home;
    }

    static HallProcess start(Path home) throws Exception {
        HallProcess hall = HallProcess.startJar(home);
        hall.await(HallProcess.READY, START);
        return hall;
    }

    /** Stops the hall if it still runs (SIGTERM) and gives its output. */
    static String stop(HallProcess hall) throws InterruptedException {
        if (hall.isAlive()) {
            hall.terminate(Duration.ofSeconds(10));
            hall.awaitEndOfOutput(Duration.ofSeconds(10));
        }
        hall.close();
        return hall.output();
    }

    String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    /**
     * An anonymous screen that records replies and status; returns once it received the hall's
     * online status itself. Not earlier: {@link #statuses} holds those of every run, and after a
     * restart the hall's connection subscribes to the commands before it publishes its status
     * (docs/mqtt.md): a command published before that has no subscriber on the fresh embedded
     * broker and is dropped, as MQTT drops any message nobody subscribed to.
     */
    MqttClient watcher() throws Exception {
        MqttClient c = new MqttClient(uri(), "fault-watcher-" + clients.incrementAndGet(), new MemoryPersistence());
        AtomicBoolean online = new AtomicBoolean();
        c.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
                if (topic.equals(ROOT + "/status")) {
                    statuses.add(payload);
                    if (payload.contains("\"online\":true")) {
                        online.set(true);
                    }
                } else {
                    replies.add(new String[] { topic, payload });
                    Matcher id = REQUEST_ID.matcher(payload);
                    Matcher number = NUMBER.matcher(payload);
                    if (payload.contains("\"ok\":true") && id.find() && number.find()) {
                        tickets.putIfAbsent(id.group(1), number.group(1));
                    }
                }
                synchronized (arrivals) {
                    arrivals.notifyAll();
                }
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        });
        connect(c, null, null);
        c.subscribe(new String[] { ROOT + "/replies/#", ROOT + "/status" }, new int[] { 1, 1 });
        Poll.until("the hall online on its broker", online::get);
        return c;
    }

    /** The demo's kiosk user. */
    MqttClient kiosk() throws Exception {
        MqttClient c = new MqttClient(uri(), "fault-kiosk-" + clients.incrementAndGet(), new MemoryPersistence());
        connect(c, "kiosk1", "demo-kiosk");
        return c;
    }

    static void connect(MqttClient c, String user, String password) throws Exception {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMaxInflight(1000);
        o.setConnectionTimeout(10);
        if (user != null) {
            o.setUserName(user);
            o.setPassword(password.toCharArray());
        }
        c.connect(o);
    }

    static void close(MqttClient... clients) {
        for (MqttClient c : clients) {
            try {
                if (c.isConnected()) {
                    c.disconnect(1000);
                }
                c.close(true);
            } catch (MqttException e) {
                // the broker went with the hall: nothing to close
            }
        }
    }

    static void publish(MqttClient kiosk, byte[] payload) throws MqttException {
        kiosk.publish(ROOT + "/commands/issue-ticket", payload, 1, false);
    }

    /**
     * A well-formed issue-ticket; the category follows from the id (the same command when it is
     * sent again), spread over the demo's three so that none runs out of numbers.
     */
    static byte[] valid(String requestId) {
        return ("{\"requestId\":\"" + requestId + "\",\"clientId\":\"fault-kiosk\",\"category\":\""
                + "ABC".charAt(Math.floorMod(requestId.hashCode(), 3)) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** One of the adversarial run's payloads, or a random variation of one. */
    byte[] hostile(int i) {
        String id = "fuzz-" + i;
        switch (random.nextInt(12)) {
            case 0: // control characters and wildcards in replyTo: Paho could not publish the reply
                return json(id, "\"replyTo\":\"" + pick("hall\\tscreen", "\\n", "a\\u0000b", ROOT + "/replies/x\\u0085") + "\"");
            case 1: // replies aimed at the hall's state or the broker's topics
                return json(id, "\"replyTo\":\"" + pick(ROOT + "/status", ROOT + "/categories/A", "$SYS/x", "a/#", "+")
                        + "\"");
            case 2: // a forged log line, a NUL, a lone surrogate in the request id
                return ("{\"requestId\":\"" + pick("a\\n08:40:02.004 ERROR QueueEngine - FORGED LINE " + i,
                        "nul\\u0000" + i, "\\ud800" + i, "\\udfff\\ud800" + i) + "\",\"clientId\":\"fault-kiosk\","
                        + "\"category\":\"A\"}").getBytes(StandardCharsets.UTF_8);
            case 3: // malformed JSON around a secret
                return ("{\"requestId\":\"" + id + "\",\"clientId\":\"fault-kiosk\",\"credential\":" + MARKER + "}")
                        .getBytes(StandardCharsets.UTF_8);
            case 4: // deep nesting
                int depth = 1 + random.nextInt(5000);
                return ("[".repeat(depth) + "]".repeat(random.nextBoolean() ? depth : 0)).getBytes(StandardCharsets.UTF_8);
            case 5: // huge numbers
                return json(id, "\"level\":1" + "0".repeat(random.nextInt(2000)) + ",\"category\":1e99999");
            case 6: // oversized
                return json("o".repeat(20_000 + random.nextInt(1000)), "\"category\":\"A\"");
            case 7: // not UTF-8
                byte[] b = new byte[1 + random.nextInt(64)];
                random.nextBytes(b);
                b[0] = (byte) 0xC3; // a lead byte ...
                if (b.length > 1) {
                    b[1] = (byte) 0x28; // ... without its continuation
                }
                return b;
            case 8: // duplicate keys, wrong types
                return ("{\"requestId\":\"" + id + "\",\"requestId\":\"x\",\"clientId\":7,\"category\":[\"A\"]}")
                        .getBytes(StandardCharsets.UTF_8);
            case 9: // unknown category, unknown priority, empty
                return json(id, pick("\"category\":\"Z\"", "\"category\":\"A\",\"priority\":\"VIP\"", "\"category\":\"\""));
            case 10: // not JSON at all
                return pick("", "null", "[]", "\"x\"", "{", "}").getBytes(StandardCharsets.UTF_8);
            default: // a client id the hall cannot answer on, so the reply goes to _unidentified
                return ("{\"requestId\":\"" + id + "\",\"clientId\":\"" + pick("a/b", "#", "x".repeat(100), "") + "\","
                        + "\"category\":\"A\"}").getBytes(StandardCharsets.UTF_8);
        }
    }

    static byte[] json(String requestId, String fields) {
        return ("{\"requestId\":\"" + requestId + "\",\"clientId\":\"fault-kiosk\"," + fields + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    /** Waits while replies keep coming, until every one of {@code ids} has its ticket. */
    void awaitTickets(String what, List<String> ids) throws InterruptedException {
        try {
            awaitProgress(what, () -> ids.stream().filter(tickets::containsKey).count(), ids.size());
        } catch (AssertionError e) {
            // Which commands have no ticket, and every reply seen for them: what a failure needs.
            StringBuilder b = new StringBuilder(e.getMessage());
            ids.stream().filter(id -> !tickets.containsKey(id)).limit(20).forEach(id -> {
                b.append("\n  no ticket for ").append(id).append(':');
                replies.stream().filter(r -> r[1].contains("\"requestId\":\"" + id + "\""))
                        .forEach(r -> b.append("\n    ").append(r[0]).append(' ').append(r[1]));
            });
            throw new AssertionError(b.toString(), e);
        }
    }

    void awaitReplies(String what, int n) throws InterruptedException {
        awaitProgress(what, () -> (long) replies.size(), n);
    }

    /** Waits until {@code count} reaches {@code n}; fails when it stood still for {@link #QUIET_MS}. */
    void awaitProgress(String what, java.util.function.LongSupplier count, long n) throws InterruptedException {
        long last = -1;
        long quietSince = System.nanoTime();
        synchronized (arrivals) {
            while (true) {
                long now = count.getAsLong();
                if (now >= n) {
                    return;
                }
                if (now != last) {
                    last = now;
                    quietSince = System.nanoTime();
                }
                long left = QUIET_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - quietSince);
                if (left <= 0) {
                    throw new AssertionError(what + ": " + now + " of " + n + ", nothing more for " + QUIET_MS
                            + " ms (seed " + seed + ")");
                }
                arrivals.wait(Math.min(left, 1000)); // woken by every message the watcher receives
            }
        }
    }
}
