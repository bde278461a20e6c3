package org.openhall.mqtt.bridge.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.QueueEvents;
import org.openhall.mqtt.bridge.internal.payload.Announcements;
import org.openhall.mqtt.bridge.internal.payload.Json;
import org.openhall.mqtt.bridge.internal.payload.Payloads;
import org.openhall.mqtt.bridge.internal.payload.Schemas;
import org.openhall.queue.core.internal.engine.RealQueue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Commands of contract v1 run through the parser into the real queue core. */
class CommandProcessorTest {

    static final String ROOT = "openhall/v1/" + RealQueue.HALL_ID;

    @TempDir
    Path tmp;
    RealQueue real;
    CommandProcessor processor;
    int counter;

    @BeforeEach
    void start() throws Exception {
        real = new RealQueue(tmp);
        processor = new CommandProcessor(ROOT, new CommandParser(CommandParser.DEFAULT_MAX_PAYLOAD_BYTES),
                new Payloads(RealQueue.HALL_ID, Announcements.defaults(), 10), real.queue(), java.util.List.of("dash/replies/"));
    }

    @AfterEach
    void stop() throws Exception {
        real.close();
    }

    /** A command payload with a fresh request id from client "caller-1". */
    ObjectNode cmd(String json) {
        ObjectNode n = (ObjectNode) Json.read(json.getBytes(StandardCharsets.UTF_8));
        n.put("requestId", "req-" + (++counter));
        n.put("clientId", "caller-1");
        return n;
    }

    /** Sends a command that must be valid under its schema and accepted by the core. */
    JsonNode ok(String name, ObjectNode payload) {
        Schemas.assertValid("command.json#/$defs/" + name, payload);
        CommandProcessor.Reply reply = processor.handle(ROOT + "/commands/" + name, Json.bytes(payload));
        Schemas.assertValid("reply.json", reply.payload());
        assertTrue(reply.payload().get("ok").booleanValue(), () -> name + " refused: " + reply.payload());
        assertEquals(payload.get("requestId").textValue(), reply.payload().get("requestId").textValue());
        assertEquals(payload.has("replyTo") ? payload.get("replyTo").textValue() : ROOT + "/replies/caller-1", reply.topic());
        return reply.payload().get("result");
    }

    /** Sends raw bytes that must be rejected with {@code code}, changing nothing. */
    JsonNode rejected(String name, byte[] payload, String code) {
        long seq = real.seq();
        int events = real.events.size();
        CommandProcessor.Reply reply = processor.handle(ROOT + "/commands/" + name, payload);
        Schemas.assertValid("reply.json", reply.payload());
        assertFalse(reply.payload().get("ok").booleanValue());
        assertEquals(code, reply.payload().get("error").get("code").textValue(), () -> reply.payload().toString());
        assertEquals(seq, real.seq(), "nothing changed");
        assertEquals(events, real.events.size(), "no event");
        return reply.payload();
    }

    JsonNode rejected(String name, ObjectNode payload, String code) {
        return rejected(name, Json.bytes(payload), code);
    }

    @Test
    void everyCommandMapsToItsQueueOperation() {
        JsonNode w = ok("open-window", cmd("{\"window\":\"1\",\"staffId\":\"s1\",\"credential\":\"1234\"}"));
        assertEquals("IDLE", w.get("state").textValue());
        assertEquals("s1", w.get("staff").get("id").textValue());
        JsonNode issued = ok("issue-ticket", cmd("{\"category\":\"A\",\"priority\":\"GREEN_CHANNEL\",\"serviceItem\":\"A01\"}"));
        assertEquals("A001", issued.get("ticket").get("number").textValue());
        assertEquals("GREEN_CHANNEL", issued.get("ticket").get("priority").textValue());
        ok("issue-ticket", cmd("{\"category\":\"A\"}"));
        JsonNode checkedIn = ok("check-in", cmd("{\"code\":\"BK-77\",\"category\":\"B\",\"slotStart\":\"2026-11-23T01:15:00Z\","
                + "\"slotEnd\":\"2026-11-23T02:00:00Z\"}"));
        assertEquals("APPOINTMENT", checkedIn.get("ticket").get("priority").textValue());
        assertEquals("CALLED", ok("call-next", cmd("{\"window\":\"1\"}")).get("state").textValue());
        assertEquals(2, ok("recall", cmd("{\"window\":\"1\"}")).get("calls").intValue());
        assertEquals("SERVING", ok("start", cmd("{\"window\":\"1\"}")).get("state").textValue());
        JsonNode finished = ok("finish", cmd("{\"window\":\"1\",\"outcome\":\"REFUSED\",\"reason\":\"不符合条件\","
                + "\"legalBasis\":\"第二十条\"}"));
        assertEquals("REFUSED", finished.get("outcome").textValue());
        String next = ok("call-next", cmd("{\"window\":\"1\"}")).get("number").textValue();
        assertEquals("NO_SHOW", ok("no-show", cmd("{\"window\":\"1\"}")).get("state").textValue());
        assertEquals("WAITING", ok("reactivate", cmd("{\"ticket\":\"" + next + "\"}")).get("state").textValue());
        ok("call-next", cmd("{\"window\":\"1\"}"));
        JsonNode moved = ok("transfer", cmd("{\"window\":\"1\",\"toCategory\":\"A\",\"toWindow\":\"2\","
                + "\"replyTo\":\"dash/replies/7\"}"));
        assertEquals("A", moved.get("category").textValue());
        assertEquals("WAITING", moved.get("state").textValue());
        JsonNode paused = ok("pause", cmd("{\"window\":\"1\",\"kind\":\"SUSPENDED\",\"reason\":\"系统维护\"}"));
        assertEquals("SUSPENDED", paused.get("pause").get("kind").textValue());
        assertEquals("IDLE", ok("resume", cmd("{\"window\":\"1\"}")).get("state").textValue());
        ok("call-next", cmd("{\"window\":\"1\"}"));
        ok("start", cmd("{\"window\":\"1\"}"));
        ok("finish", cmd("{\"window\":\"1\",\"outcome\":\"MATERIALS_INCOMPLETE\",\"missingMaterials\":[\"身份证\"]}"));
        JsonNode rated = ok("evaluate", cmd("{\"window\":\"1\",\"level\":5}"));
        assertEquals(5, rated.get("level").intValue());
        assertEquals("s1", rated.get("staff").textValue());
        assertEquals("CLOSED", ok("close-window", cmd("{\"window\":\"1\"}")).get("state").textValue());
        real.clock.advance(Duration.ofMinutes(10));
        JsonNode manual = ok("manual-case", cmd("{\"category\":\"A\",\"window\":\"1\",\"staffId\":\"s1\","
                + "\"arrivedAt\":\"2026-11-23T01:20:00Z\",\"startedAt\":\"2026-11-23T01:25:00Z\","
                + "\"finishedAt\":\"2026-11-23T01:35:00Z\",\"outcome\":\"DONE\",\"serviceItem\":\"A01\"}"));
        assertTrue(manual.get("manual").booleanValue());
        assertEquals("A01", manual.get("serviceItem").textValue());
    }

    @Test
    void operationsAreAttributedToTheClientDeviceOrToTheStaffActor() {
        ok("issue-ticket", cmd("{\"category\":\"A\"}"));
        real.events.removeIf(e -> QueueEvents.HALL_OPENED.equals(e.get(QueueEvents.TYPE))); // the first operation opens the hall
        assertEquals("DEVICE:caller-1", real.events.get(real.events.size() - 1).get(QueueEvents.ACTOR));
        ok("open-window", cmd("{\"window\":\"2\",\"staffId\":\"s2\",\"credential\":\"1234\",\"actorStaffId\":\"s2\"}"));
        assertEquals("STAFF:s2", real.events.get(real.events.size() - 1).get(QueueEvents.ACTOR));
        assertEquals("req-2", real.events.get(real.events.size() - 1).get(QueueEvents.REQUEST_ID));
    }

    @Test
    void aRepeatedRequestIdReturnsTheFirstReplyAndChangesNothing() {
        ObjectNode issue = cmd("{\"category\":\"A\"}");
        CommandProcessor.Reply first = processor.handle(ROOT + "/commands/issue-ticket", Json.bytes(issue));
        long seq = real.seq();
        CommandProcessor.Reply again = processor.handle(ROOT + "/commands/issue-ticket", Json.bytes(issue));
        assertEquals(first.payload(), again.payload());
        assertEquals(seq, real.seq(), "no second ticket");
        ObjectNode refused = cmd("{\"window\":\"2\"}");
        JsonNode r1 = rejectedByCore("call-next", refused);
        JsonNode r2 = rejectedByCore("call-next", refused);
        assertEquals(r1, r2, "a refusal is repeated too");
    }

    JsonNode rejectedByCore(String name, ObjectNode payload) {
        CommandProcessor.Reply reply = processor.handle(ROOT + "/commands/" + name, Json.bytes(payload));
        Schemas.assertValid("reply.json", reply.payload());
        assertFalse(reply.payload().get("ok").booleanValue());
        return reply.payload();
    }

    @Test
    void refusalsOfTheCoreCarryItsErrorCode() {
        JsonNode r = rejectedByCore("call-next", cmd("{\"window\":\"1\"}"));
        assertEquals(ErrorCode.WINDOW_NOT_OPEN.name(), r.get("error").get("code").textValue());
        r = rejectedByCore("open-window", cmd("{\"window\":\"1\",\"staffId\":\"s1\",\"credential\":\"9999\"}"));
        assertEquals(ErrorCode.BAD_CREDENTIALS.name(), r.get("error").get("code").textValue());
        assertFalse(r.toString().contains("9999"), "the PIN is never echoed");
        r = rejectedByCore("issue-ticket", cmd("{\"category\":\"Z\"}"));
        assertEquals(ErrorCode.UNKNOWN_CATEGORY.name(), r.get("error").get("code").textValue());
        assertEquals("req-3", r.get("requestId").textValue());
    }

    @Test
    void signInIsRefusedWhereTheConnectionDoesNotAllowIt() {
        CommandProcessor open = new CommandProcessor(ROOT, new CommandParser(CommandParser.DEFAULT_MAX_PAYLOAD_BYTES, false),
                new Payloads(RealQueue.HALL_ID, Announcements.defaults(), 10), real.queue());
        long seq = real.seq();
        CommandProcessor.Reply reply = open.handle(ROOT + "/commands/open-window",
                Json.bytes(cmd("{\"window\":\"1\",\"staffId\":\"s1\",\"credential\":\"1234\"}")));
        Schemas.assertValid("reply.json", reply.payload());
        assertEquals("SIGN_IN_DISABLED", reply.payload().get("error").get("code").textValue());
        assertFalse(reply.payload().toString().contains("1234"), "the PIN is not echoed");
        assertEquals(seq, real.seq(), "nobody signed in");
        reply = open.handle(ROOT + "/commands/issue-ticket", Json.bytes(cmd("{\"category\":\"A\"}")));
        assertTrue(reply.payload().get("ok").booleanValue(), "other commands run as before");
    }

    @Test
    void oversizePayloadIsRejected() {
        CommandProcessor small = new CommandProcessor(ROOT, new CommandParser(512),
                new Payloads(RealQueue.HALL_ID, Announcements.defaults(), 10), real.queue());
        ObjectNode big = cmd("{\"category\":\"A\"}");
        big.put("padding", "x".repeat(600));
        long seq = real.seq();
        CommandProcessor.Reply reply = small.handle(ROOT + "/commands/issue-ticket", Json.bytes(big));
        assertEquals("PAYLOAD_TOO_LARGE", reply.payload().get("error").get("code").textValue());
        assertEquals(ROOT + "/replies/_unidentified", reply.topic(), "the payload is not read at all");
        assertEquals(seq, real.seq());
        byte[] max = new byte[CommandParser.DEFAULT_MAX_PAYLOAD_BYTES + 1];
        Arrays.fill(max, (byte) ' ');
        rejected("issue-ticket", max, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void invalidUtf8IsRejected() {
        byte[] good = "{\"requestId\":\"r\",\"clientId\":\"c\",\"category\":\"A\"}".getBytes(StandardCharsets.UTF_8);
        byte[] bad = Arrays.copyOf(good, good.length);
        bad[bad.length - 4] = (byte) 0xC3; // a lead byte without its continuation byte, inside the string "A"
        rejected("issue-ticket", bad, "INVALID_UTF8");
        rejected("issue-ticket", new byte[] { '{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ':', '1', '}' },
                "INVALID_UTF8"); // an encoded surrogate
    }

    @Test
    void malformedJsonIsRejected() {
        for (String s : new String[] { "", "{", "[]", "\"text\"", "42", "null", "{\"requestId\":\"r\"} {}",
                "{\"requestId\":\"a\",\"requestId\":\"b\",\"clientId\":\"c\",\"category\":\"A\"}", "{'requestId':'r'}" }) {
            JsonNode r = rejected("issue-ticket", s.getBytes(StandardCharsets.UTF_8), "MALFORMED_JSON");
            assertTrue(r.get("requestId").isNull());
        }
    }

    @Test
    void unknownCommandIsRejectedAndAnsweredToTheClient() {
        JsonNode r = rejected("launch-rocket", cmd("{\"window\":\"1\"}"), "UNKNOWN_COMMAND");
        assertEquals("req-1", r.get("requestId").textValue());
        CommandProcessor.Reply reply = processor.handle(ROOT + "/commands/launch-rocket", Json.bytes(cmd("{}")));
        assertEquals(ROOT + "/replies/caller-1", reply.topic());
    }

    @Test
    void missingFieldsAreRejectedByNameAndByTheSchema() {
        for (String[] c : new String[][] { { "issue-ticket", "{}", "category" }, { "call-next", "{}", "window" },
                { "finish", "{\"window\":\"1\"}", "outcome" },
                { "finish", "{\"window\":\"1\",\"outcome\":\"REFUSED\",\"reason\":\"x\"}", "legalBasis" },
                { "finish", "{\"window\":\"1\",\"outcome\":\"MATERIALS_INCOMPLETE\"}", "missingMaterials" },
                { "transfer", "{\"window\":\"1\"}", "toCategory" }, { "reactivate", "{}", "ticket" },
                { "pause", "{\"window\":\"1\"}", "kind" }, { "open-window", "{\"window\":\"1\",\"staffId\":\"s1\"}", "credential" },
                { "check-in", "{\"code\":\"X\",\"category\":\"A\",\"slotStart\":\"2026-11-23T01:00:00Z\"}", "slotEnd" },
                { "manual-case", "{\"category\":\"A\",\"window\":\"1\",\"staffId\":\"s1\",\"outcome\":\"DONE\"}", "arrivedAt" },
                { "issue-ticket", "{\"category\":null}", "category" } }) {
            ObjectNode p = cmd(c[1]);
            Schemas.assertInvalid("command.json#/$defs/" + c[0], p);
            JsonNode r = rejected(c[0], p, "MISSING_FIELD");
            assertTrue(r.get("error").get("message").textValue().contains(c[2]), r::toString);
        }
        ObjectNode noRequestId = cmd("{\"category\":\"A\"}");
        noRequestId.remove("requestId");
        JsonNode r = rejected("issue-ticket", noRequestId, "MISSING_FIELD");
        assertTrue(r.get("requestId").isNull());
        ObjectNode noClient = cmd("{\"category\":\"A\"}");
        noClient.remove("clientId");
        assertEquals(ROOT + "/replies/_unidentified",
                processor.handle(ROOT + "/commands/issue-ticket", Json.bytes(noClient)).topic());
    }

    @Test
    void wrongTypesAreRejectedByNameAndByTheSchema() {
        for (String[] c : new String[][] { { "issue-ticket", "{\"category\":1}", "category" },
                { "call-next", "{\"window\":3}", "window" }, { "call-next", "{\"window\":[\"3\"]}", "window" },
                { "pause", "{\"window\":\"1\",\"kind\":true}", "kind" },
                { "finish", "{\"window\":\"1\",\"outcome\":\"MATERIALS_INCOMPLETE\",\"missingMaterials\":\"身份证\"}", "missingMaterials" },
                { "finish", "{\"window\":\"1\",\"outcome\":\"MATERIALS_INCOMPLETE\",\"missingMaterials\":[1]}", "missingMaterials" },
                { "issue-ticket", "{\"category\":\"A\",\"replyTo\":{}}", "replyTo" } }) {
            ObjectNode p = cmd(c[1]);
            Schemas.assertInvalid("command.json#/$defs/" + c[0], p);
            JsonNode r = rejected(c[0], p, "WRONG_TYPE");
            assertTrue(r.get("error").get("message").textValue().contains(c[2]), r::toString);
        }
        ObjectNode numericRequestId = cmd("{\"category\":\"A\"}");
        numericRequestId.put("requestId", 17);
        rejected("issue-ticket", numericRequestId, "WRONG_TYPE");
    }

    @Test
    void valuesOutOfRangeAreRejectedByTheParserAndByTheSchema() {
        for (String[] c : new String[][] { { "issue-ticket", "{\"category\":\"AB\"}" },
                { "issue-ticket", "{\"category\":\"A\",\"priority\":\"APPOINTMENT\"}" },
                { "issue-ticket", "{\"category\":\"A\",\"priority\":\"VIP\"}" },
                { "pause", "{\"window\":\"1\",\"kind\":\"LONG\"}" },
                { "reactivate", "{\"ticket\":\"A12\"}" },
                { "reactivate", "{\"ticket\":\"A12345\"}" },
                { "finish", "{\"window\":\"1\",\"outcome\":\"TRANSFERRED\"}" },
                { "finish", "{\"window\":\"1\",\"outcome\":\"MATERIALS_INCOMPLETE\",\"missingMaterials\":[]}" },
                { "check-in", "{\"code\":\"X\",\"category\":\"A\",\"slotStart\":\"tomorrow\",\"slotEnd\":\"2026-11-23T01:00:00Z\"}" },
                { "call-next", "{\"window\":\"\"}" },
                { "issue-ticket", "{\"category\":\"A\",\"replyTo\":\"openhall/v1/test/replies/#\"}" } }) {
            ObjectNode p = cmd(c[1]);
            Schemas.assertInvalid("command.json#/$defs/" + c[0], p);
            rejected(c[0], p, "INVALID_ARGUMENT");
        }
        // A four-digit number (a category with numberDigits = 4) is a ticket number: it reaches the core.
        ObjectNode fourDigits = cmd("{\"ticket\":\"A1234\"}");
        Schemas.assertValid("command.json#/$defs/reactivate", fourDigits);
        rejected("reactivate", fourDigits, "UNKNOWN_TICKET");
        ObjectNode longId = cmd("{\"category\":\"A\"}");
        longId.put("requestId", "r".repeat(129));
        Schemas.assertInvalid("command.json#/$defs/issue-ticket", longId);
        JsonNode r = rejected("issue-ticket", longId, "INVALID_ARGUMENT");
        assertTrue(r.get("requestId").isNull(), "an unusable request id is not echoed");
        ObjectNode badClient = cmd("{\"category\":\"A\"}");
        badClient.put("clientId", "a/b");
        Schemas.assertInvalid("command.json#/$defs/issue-ticket", badClient);
        rejected("issue-ticket", badClient, "INVALID_ARGUMENT");
        // A slot that ends before it starts is a value error the schema cannot express.
        rejected("check-in", cmd("{\"code\":\"X\",\"category\":\"A\",\"slotStart\":\"2026-11-23T02:00:00Z\","
                + "\"slotEnd\":\"2026-11-23T01:00:00Z\"}"), "INVALID_ARGUMENT");
    }

    @Test
    void aRejectedCommandIsLoggedOnceWithItsCodeAndNeverWithThePayload() throws Exception {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            rejected("open-window", cmd("{\"window\":1,\"staffId\":\"s1\",\"credential\":\"pin-4711\"}"), "WRONG_TYPE");
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertEquals(1, log.lines().filter(l -> l.contains("Command rejected")).count(), log);
        assertTrue(log.contains("WARN") && log.contains("WRONG_TYPE") && log.contains("caller-1"), log);
        assertFalse(log.contains("pin-4711"), "the PIN never reaches the log (R17)");
    }

    @Test
    void theCredentialNeverAppearsInTheParsedOperationsText() {
        ParsedCommand p = new CommandParser(CommandParser.DEFAULT_MAX_PAYLOAD_BYTES).parse("open-window",
                Json.bytes(cmd("{\"window\":\"1\",\"staffId\":\"s1\",\"credential\":\"secret-pin\"}")));
        assertFalse(p.toString().contains("secret-pin"));
        assertNull(((ParsedCommand.Valid) p).replyTo());
    }

    /**
     * A reply topic the hall's client cannot encode used to stop all MQTT output for good (the
     * reply blocked the outbox): such a {@code replyTo} is refused, and the refusal goes to the
     * default reply topic.
     */
    @Test
    void aReplyTopicTheHallCannotPublishToIsRefusedAndAnsweredOnTheDefaultTopic() {
        for (String bad : new String[] { "hall\tscreen", "\n", "screen\u0000x", "next\u0085line", "del\u007f",
                "emoji/\uD83D\uDE00", "lone/\uD800", "$SYS/broker/x", "x/\uFFFE", "a/+/b" }) {
            ObjectNode p = cmd("{\"category\":\"A\"}");
            p.put("replyTo", bad);
            if (bad.chars().noneMatch(c -> Character.isSurrogate((char) c))) { // the schema cannot express surrogates
                Schemas.assertInvalid("command.json#/$defs/issue-ticket", p);
            }
            JsonNode r = rejected("issue-ticket", p, "INVALID_ARGUMENT");
            assertTrue(r.get("error").get("message").textValue().contains("replyTo"), r::toString);
            CommandProcessor.Reply reply = processor.handle(ROOT + "/commands/issue-ticket", Json.bytes(p));
            assertEquals(ROOT + "/replies/caller-1", reply.topic(), bad);
        }
        ObjectNode fine = cmd("{\"category\":\"A\"}");
        fine.put("replyTo", ROOT + "/replies/屏幕-1");
        ok("issue-ticket", fine);
    }

    /** Error messages never quote the payload: the reply to an unidentified sender may be read by anyone. */
    @Test
    void aMalformedPayloadIsNotQuotedInTheReply() {
        for (String s : new String[] { "{\"requestId\":\"r1\",\"credential\":pin4711x}", "pin4711x",
                "{\"pin4711x\"", "{\"a\":\"pin4711x\" \"b\":1}", "[\"pin4711x\"]" }) {
            JsonNode r = rejected("open-window", s.getBytes(StandardCharsets.UTF_8), "MALFORMED_JSON");
            String message = r.get("error").get("message").textValue();
            assertFalse(message.contains("pin4711x") || message.contains("4711"), message);
            assertTrue(message.startsWith("payload is not valid JSON") || message.startsWith("payload must be"), message);
        }
    }

    /**
     * A request id with a lone surrogate could not be stored losslessly (sqlite-jdbc wrote '?'), so
     * idempotency broke across a restart: such ids are refused, and not echoed.
     */
    @Test
    void stringsThatAreNotValidUnicodeAreRefused() {
        ObjectNode loneId = cmd("{\"category\":\"A\"}");
        loneId.put("requestId", "r\uD800");
        JsonNode r = rejected("issue-ticket", loneId, "INVALID_ARGUMENT");
        assertTrue(r.get("requestId").isNull(), "an id that is not valid Unicode is not echoed");
        assertTrue(r.get("error").get("message").textValue().contains("requestId"), r::toString);
        // As raw JSON escapes, the way a fuzzer sends them.
        rejected("issue-ticket", "{\"requestId\":\"\\udc00x\",\"clientId\":\"c\",\"category\":\"A\"}"
                .getBytes(StandardCharsets.UTF_8), "INVALID_ARGUMENT");
        ObjectNode loneItem = cmd("{\"window\":\"1\",\"outcome\":\"MATERIALS_INCOMPLETE\"}");
        loneItem.putArray("missingMaterials").add("身份证\uDFFF");
        rejected("finish", loneItem, "INVALID_ARGUMENT");
        // A pair is a character like any other.
        ObjectNode emojiId = cmd("{\"category\":\"A\"}");
        emojiId.put("requestId", "r-\uD83D\uDE00");
        ok("issue-ticket", emojiId);
    }

    /**
     * A command user could aim the reply at the hall's own state ("replyTo":"…/status") and make
     * the hall publish onto it: replyTo must be under {root}/replies/ or a configured prefix.
     */
    @Test
    void repliesGoOnlyToTheReplySpace() {
        for (String target : new String[] { ROOT + "/status", ROOT + "/categories/A", ROOT + "/events/ticket.called",
                ROOT + "/replies", "openhall/v1/other/replies/x", "dash/replies", "elsewhere/x" }) {
            ObjectNode p = cmd("{\"category\":\"A\"}");
            p.put("replyTo", target);
            JsonNode r = rejected("issue-ticket", p, "INVALID_ARGUMENT");
            assertTrue(r.get("error").get("message").textValue().contains(ROOT + "/replies/"), r::toString);
            assertEquals(ROOT + "/replies/caller-1", processor.handle(ROOT + "/commands/issue-ticket", Json.bytes(p)).topic());
        }
        // Refused for another reason: the refusal keeps its code and still avoids the state topic.
        ObjectNode bad = cmd("{\"category\":\"AB\"}");
        bad.put("replyTo", ROOT + "/status");
        CommandProcessor.Reply reply = processor.handle(ROOT + "/commands/issue-ticket", Json.bytes(bad));
        assertEquals(ROOT + "/replies/caller-1", reply.topic());
        assertEquals("INVALID_ARGUMENT", reply.payload().get("error").get("code").textValue());
        ObjectNode mine = cmd("{\"category\":\"A\"}");
        mine.put("replyTo", ROOT + "/replies/kiosk-7/r1");
        ok("issue-ticket", mine);
        ObjectNode dash = cmd("{\"category\":\"A\"}");
        dash.put("replyTo", "dash/replies/7");
        ok("issue-ticket", dash);
    }

    /**
     * Signing in where others read the command topics: the caller asks for a challenge and answers
     * it with a proof computed from the PIN, as docs/mqtt.md "Signing in" describes (done here with
     * the JDK alone, as any client would). The PIN never travels; the answer cannot be used twice.
     */
    @Test
    void staffSignInWithTheAnswerToAChallengeWhereAPinMayNotTravel() throws Exception {
        CommandProcessor open = new CommandProcessor(ROOT, new CommandParser(CommandParser.DEFAULT_MAX_PAYLOAD_BYTES, false),
                new Payloads(RealQueue.HALL_ID, Announcements.defaults(), 10), real.queue());
        ObjectNode ask = cmd("{\"window\":\"1\",\"staffId\":\"s1\"}");
        Schemas.assertValid("command.json#/$defs/sign-in-challenge", ask);
        CommandProcessor.Reply challenge = open.handle(ROOT + "/commands/sign-in-challenge", Json.bytes(ask));
        Schemas.assertValid("reply.json", challenge.payload());
        JsonNode c = challenge.payload().get("result");
        assertTrue(challenge.payload().get("ok").booleanValue(), challenge.payload()::toString);

        // The client's side, from the reply alone.
        javax.crypto.SecretKeyFactory pbkdf2 = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        byte[] key = pbkdf2.generateSecret(new javax.crypto.spec.PBEKeySpec(RealQueue.PIN.toCharArray(),
                java.util.Base64.getDecoder().decode(c.get("salt").textValue()), c.get("iterations").intValue(), 256))
                .getEncoded();
        javax.crypto.Mac hmac = javax.crypto.Mac.getInstance("HmacSHA256");
        hmac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        String proof = java.util.Base64.getEncoder().encodeToString(hmac.doFinal(("openhall-sign-in$"
                + c.get("nonce").textValue() + "$1$s1").getBytes(StandardCharsets.UTF_8)));

        ObjectNode signIn = cmd("{\"window\":\"1\",\"staffId\":\"s1\"}");
        signIn.put("nonce", c.get("nonce").textValue());
        signIn.put("proof", proof);
        Schemas.assertValid("command.json#/$defs/open-window", signIn);
        long seq = real.seq();
        CommandProcessor.Reply opened = open.handle(ROOT + "/commands/open-window", Json.bytes(signIn));
        Schemas.assertValid("reply.json", opened.payload());
        assertTrue(opened.payload().get("ok").booleanValue(), opened.payload()::toString);
        assertTrue(real.seq() > seq, "the window opened");
        assertFalse(opened.payload().toString().contains(proof), "the proof is not echoed");

        // A reader of the command topic replays it with a new request id: refused.
        assertTrue(processor.handle(ROOT + "/commands/close-window", Json.bytes(cmd("{\"window\":\"1\"}"))).payload()
                .get("ok").booleanValue());
        ObjectNode replay = signIn.deepCopy();
        replay.put("requestId", "replay-1");
        CommandProcessor.Reply refused = open.handle(ROOT + "/commands/open-window", Json.bytes(replay));
        assertEquals("BAD_CREDENTIALS", refused.payload().get("error").get("code").textValue(), refused.payload()::toString);
        // Malformed answers are input errors.
        ObjectNode both = signIn.deepCopy();
        both.put("credential", "1234");
        Schemas.assertInvalid("command.json#/$defs/open-window", both);
        assertEquals("INVALID_ARGUMENT", open.handle(ROOT + "/commands/open-window", Json.bytes(both)).payload().get("error")
                .get("code").textValue());
        ObjectNode shortProof = signIn.deepCopy();
        shortProof.put("proof", "abc");
        Schemas.assertInvalid("command.json#/$defs/open-window", shortProof);
        rejected("open-window", shortProof, "INVALID_ARGUMENT");
    }

    /**
     * issue-ticket with "kiosk" goes to that kiosk's Kiosk service (which prints it, R5) and the
     * reply says whether it was printed; an unknown kiosk is a retryable refusal that issues nothing.
     * The kiosk here issues on the real queue and reports its printer failed: the real printer and
     * its failover are the printer bundle's (tested there, and by the web pages' browser test).
     */
    @Test
    void issueTicketNamingAKioskIsIssuedAndPrintedByThatKiosk() {
        java.util.List<String> asked = new java.util.ArrayList<>();
        org.openhall.api.device.Kiosk kiosk = new org.openhall.api.device.Kiosk() {
            @Override
            public String id() {
                return "kiosk1";
            }

            @Override
            public org.openhall.api.device.KioskIssue issue(org.openhall.api.queue.Request request, String category,
                    org.openhall.api.queue.PriorityClass priority, String serviceItem) {
                asked.add(category + "/" + priority + "/" + serviceItem);
                return new org.openhall.api.device.KioskIssue(real.queue().issueTicket(request, category, priority, serviceItem),
                        false, null, "设备故障,暂停使用");
            }

            @Override
            public org.openhall.api.device.KioskIssue checkIn(org.openhall.api.queue.Request request,
                    org.openhall.api.queue.Appointment appointment) {
                asked.add("check-in " + appointment.code());
                return new org.openhall.api.device.KioskIssue(real.queue().checkIn(request, appointment), true, "kiosk1-printer",
                        null);
            }
        };
        processor = new CommandProcessor(ROOT, new CommandParser(CommandParser.DEFAULT_MAX_PAYLOAD_BYTES),
                new Payloads(RealQueue.HALL_ID, Announcements.defaults(), 10), real.queue(), java.util.List.of(),
                id -> id.equals("kiosk1") ? kiosk : null);
        JsonNode r = ok("issue-ticket", cmd("{\"category\":\"A\",\"priority\":\"GREEN_CHANNEL\",\"kiosk\":\"kiosk1\"}"));
        assertEquals(java.util.List.of("A/GREEN_CHANNEL/null"), asked);
        assertEquals("A001", r.get("ticket").get("number").textValue());
        assertEquals("kiosk1", r.get("kiosk").textValue());
        assertFalse(r.get("printed").booleanValue());
        assertEquals("设备故障,暂停使用", r.get("notice").textValue());

        // The service item and a check-in reach the kiosk too: it prints what it issues.
        ok("issue-ticket", cmd("{\"category\":\"A\",\"serviceItem\":\"A01\",\"kiosk\":\"kiosk1\"}"));
        assertEquals("A/NORMAL/A01", asked.get(1));
        JsonNode c = ok("check-in", cmd("{\"code\":\"BK-78\",\"category\":\"B\",\"slotStart\":\"2026-11-23T01:15:00Z\","
                + "\"slotEnd\":\"2026-11-23T01:30:00Z\",\"kiosk\":\"kiosk1\"}"));
        assertEquals("check-in BK-78", asked.get(2));
        assertTrue(c.get("printed").booleanValue());
        assertEquals("kiosk1-printer", c.get("printer").textValue());

        JsonNode e = rejected("issue-ticket", cmd("{\"category\":\"A\",\"kiosk\":\"kiosk9\"}"), "UNAVAILABLE");
        assertTrue(e.get("error").get("retryable").booleanValue());
        rejected("issue-ticket", cmd("{\"category\":\"A\",\"kiosk\":\"kiosk 1\"}"), "INVALID_ARGUMENT");
    }
}
