package org.openhall.mqtt.bridge.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.mqtt.bridge.internal.payload.Announcements;
import org.openhall.mqtt.bridge.internal.payload.Json;
import org.openhall.mqtt.bridge.internal.payload.Payloads;
import org.openhall.mqtt.bridge.internal.payload.Schemas;
import org.openhall.mqtt.bridge.internal.publisher.TopicNames;
import org.openhall.queue.core.internal.engine.RealQueue;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Thousands of generated command payloads (seeded: {@code -Dfuzz.seed=…} replays a run,
 * {@code -Dfuzz.count=…} makes it longer) through the parser into the real queue core: deep
 * nesting, huge numbers and strings, invalid UTF-8, lone surrogates, duplicate keys, control
 * characters, wildcards and {@code $SYS} topics in {@code replyTo}, newlines and NULs in ids, wrong
 * types, unknown commands. Each gets exactly one reply that the contract's schema accepts, on a
 * topic the hall can publish to, that never quotes the payload; no exception escapes and nothing is
 * logged at ERROR; afterwards the hall answers a well-formed command as before.
 */
class CommandFuzzTest {

    static final String ROOT = "openhall/v1/" + RealQueue.HALL_ID;
    static final String MARKER = "pin4711x";
    static final List<String> NAMES = List.of("issue-ticket", "check-in", "call-next", "recall", "start", "finish",
            "transfer", "no-show", "reactivate", "pause", "resume", "open-window", "close-window", "manual-case", "evaluate",
            "sign-in-challenge", "launch-rocket", "", "issue-ticket/x", "#", "$SYS");
    static final List<String> FIELDS = List.of("requestId", "clientId", "replyTo", "actorStaffId", "category", "priority",
            "serviceItem", "window", "staffId", "credential", "nonce", "proof", "outcome", "missingMaterials", "reason",
            "legalBasis", "toCategory", "toWindow", "ticket", "kind", "level", "code", "slotStart", "slotEnd", "arrivedAt",
            "startedAt", "finishedAt");
    static final List<String> STRINGS = List.of("A", "B", "Z", "1", "2", "s1", "1234", "DONE", "REFUSED", "BRIEF",
            "GREEN_CHANNEL", "A001", "2026-11-23T01:00:00Z", "", " ", "\n", "a\nFORGED LINE", "nul\u0000x", "\ud800",
            "\udfff\ud800", "\ud83d\ude00", "hall\tscreen", "openhall/v1/test/status", ROOT + "/replies/x", "$SYS/x", "a/#",
            "+", "\u0085", "\uFFFF", "窗口一", "x".repeat(129), "y".repeat(600), "z".repeat(20_000));

    @TempDir
    Path tmp;
    RealQueue real;
    CommandProcessor processor;
    Random random;
    long seed;

    @BeforeEach
    void start() throws Exception {
        real = new RealQueue(tmp);
        processor = new CommandProcessor(ROOT, new CommandParser(CommandParser.DEFAULT_MAX_PAYLOAD_BYTES, true),
                new Payloads(RealQueue.HALL_ID, Announcements.defaults(), 10), real.queue(), List.of("dash/replies/"));
        seed = Long.getLong("fuzz.seed", System.nanoTime());
        random = new Random(seed);
    }

    @AfterEach
    void stop() throws Exception {
        real.close();
    }

    @Test
    void everyFuzzedCommandGetsOneValidReplyAndTheHallCarriesOn() {
        int count = Integer.getInteger("fuzz.count", 4000);
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        int ok = 0;
        try {
            for (int i = 0; i < count; i++) {
                String name = pick(NAMES);
                byte[] payload = payload(i, name);
                CommandProcessor.Reply reply = processor.handle(ROOT + "/commands/" + name, payload);
                String context = "seed " + seed + ", case " + i + ", command '" + name + "'";
                assertNull(TopicNames.problem(reply.topic()), context);
                assertTrue(reply.topic().startsWith(ROOT + "/replies/") || reply.topic().startsWith("dash/replies/"), context);
                Schemas.assertValid("reply.json", reply.payload());
                String text = new String(reply.bytes(), StandardCharsets.UTF_8);
                JsonNode error = reply.payload().get("error");
                if (error != null) {
                    assertFalse(error.get("message").textValue().contains(MARKER), () -> context + ": " + text);
                } else {
                    ok++;
                }
            }
        } finally {
            System.setErr(err);
        }
        String lines = log.toString(StandardCharsets.UTF_8);
        assertFalse(lines.contains(" ERROR ") || lines.contains("Exception"), () -> "seed " + seed + ": " + lines);
        assertFalse(lines.contains(MARKER), "no payload text in the log");
        System.out.println("CommandFuzzTest: seed " + seed + ", " + count + " payloads, " + ok + " accepted");

        // The hall answers a well-formed command afterwards.
        CommandProcessor.Reply after = processor.handle(ROOT + "/commands/issue-ticket", Json.bytes(Json.object()
                .put("requestId", "after-fuzz").put("clientId", "kiosk-1").put("category", "A")));
        assertTrue(after.payload().get("ok").booleanValue(), after.payload()::toString);
        assertEquals(ROOT + "/replies/kiosk-1", after.topic());
    }

    private byte[] payload(int i, String name) {
        switch (random.nextInt(12)) {
            case 10, 11: // a well-formed command, one field sometimes changed
                com.fasterxml.jackson.databind.node.ObjectNode v = valid(i, name);
                if (random.nextInt(3) == 0) {
                    v.put(pick(FIELDS), pick(STRINGS));
                }
                return jsonBytes(v);
            case 0: // raw bytes, often not UTF-8
                byte[] b = new byte[random.nextInt(64)];
                random.nextBytes(b);
                return b;
            case 1: // deep nesting
                int depth = 1 + random.nextInt(5000);
                return ("[".repeat(depth) + "]".repeat(random.nextBoolean() ? depth : 0)).getBytes(StandardCharsets.UTF_8);
            case 2: // huge numbers
                return ("{\"requestId\":\"n" + i + "\",\"clientId\":\"c\",\"level\":1" + "0".repeat(random.nextInt(2000))
                        + ",\"category\":1e99999}").getBytes(StandardCharsets.UTF_8);
            case 3: // duplicate keys and malformed text around the marker
                return ("{\"requestId\":\"d" + i + "\",\"requestId\":\"e\",\"credential\":" + MARKER + "}")
                        .getBytes(StandardCharsets.UTF_8);
            case 4: // oversized
                return ("{\"requestId\":\"" + "o".repeat(CommandParser.DEFAULT_MAX_PAYLOAD_BYTES) + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
            case 5: // raw JSON escapes for lone surrogates and control characters
                return ("{\"requestId\":\"\\ud800" + i + "\",\"clientId\":\"kiosk-1\",\"replyTo\":\"\\u0009x\",\"category\":\"A\"}")
                        .getBytes(StandardCharsets.UTF_8);
            default: // objects of random fields and values
                com.fasterxml.jackson.databind.node.ObjectNode n = Json.object();
                if (random.nextInt(4) > 0) {
                    n.put("requestId", random.nextInt(3) == 0 ? pick(STRINGS) : "f" + i);
                }
                if (random.nextInt(4) > 0) {
                    n.put("clientId", random.nextInt(5) == 0 ? pick(STRINGS) : "kiosk-" + random.nextInt(3));
                }
                for (int k = random.nextInt(8); k > 0; k--) {
                    String field = pick(FIELDS);
                    switch (random.nextInt(6)) {
                        case 0 -> n.put(field, random.nextLong());
                        case 1 -> n.put(field, random.nextBoolean());
                        case 2 -> n.putArray(field).add(pick(STRINGS)).add(random.nextInt());
                        case 3 -> n.putObject(field).put(pick(FIELDS), pick(STRINGS));
                        default -> n.put(field, pick(STRINGS));
                    }
                }
                return Json.MAPPER.getFactory() == null ? new byte[0] : jsonBytes(n);
        }
    }

    /** A command of the contract named {@code name} that the core may accept. */
    private com.fasterxml.jackson.databind.node.ObjectNode valid(int i, String name) {
        com.fasterxml.jackson.databind.node.ObjectNode n = Json.object().put("requestId", "v" + i)
                .put("clientId", "kiosk-" + random.nextInt(3));
        String window = String.valueOf(1 + random.nextInt(2));
        return switch (name) {
            case "issue-ticket" -> n.put("category", random.nextBoolean() ? "A" : "B");
            case "open-window" -> n.put("window", window).put("staffId", "s" + window).put("credential", RealQueue.PIN);
            case "sign-in-challenge" -> n.put("window", window).put("staffId", "s" + window);
            case "finish" -> n.put("window", window).put("outcome", "DONE");
            case "pause" -> n.put("window", window).put("kind", "BRIEF");
            case "evaluate" -> n.put("window", window).put("level", 1 + random.nextInt(5));
            case "transfer" -> n.put("window", window).put("toCategory", "B");
            case "reactivate" -> n.put("ticket", "A00" + (1 + random.nextInt(9)));
            default -> n.put("window", window);
        };
    }

    /** Jackson writes lone surrogates as they are; the bytes are what a client would send. */
    private static byte[] jsonBytes(com.fasterxml.jackson.databind.node.ObjectNode n) {
        try {
            return Json.MAPPER.writeValueAsString(n).getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return ("{\"requestId\":\"unwritable\"}").getBytes(StandardCharsets.UTF_8);
        }
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
