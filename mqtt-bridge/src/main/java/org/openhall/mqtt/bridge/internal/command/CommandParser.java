package org.openhall.mqtt.bridge.internal.command;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.openhall.api.queue.Actor;
import org.openhall.api.queue.Appointment;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.ManualCase;
import org.openhall.api.queue.Outcome;
import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.TransferTarget;
import org.openhall.mqtt.bridge.internal.command.Operation.OnWindow;
import org.openhall.mqtt.bridge.internal.payload.Json;
import org.openhall.mqtt.bridge.internal.publisher.TopicNames;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads and validates commands of contract v1 ({@code commands/{name}}, docs/mqtt.md and
 * docs/mqtt/schemas/command.json). Checks run in a fixed order: size, UTF-8, JSON object, the
 * envelope ({@code requestId}, {@code clientId}, {@code replyTo}, {@code actorStaffId}), the
 * command name, its arguments. The first failure rejects the command; nothing reaches the queue.
 * Values are checked for type and form here; whether a window or category exists is the queue
 * core's answer.
 */
public final class CommandParser {

    /** Default longest payload accepted: 16 KiB. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 16 * 1024;

    /** The command names of contract v1. */
    public static final Set<String> COMMANDS = Set.of("issue-ticket", "check-in", "call-next", "recall", "start",
            "finish", "transfer", "no-show", "reactivate", "pause", "resume", "open-window", "close-window",
            "manual-case", "evaluate", "sign-in-challenge");

    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern CATEGORY = Pattern.compile("[A-Z]");
    /** A ticket number: three digits, or four in a category with numberDigits = 4 (docs/queue.md). */
    private static final Pattern TICKET = Pattern.compile("[A-Z][0-9]{3,4}");
    private static final int MAX_ID = 64;
    private static final int MAX_TEXT = 500;
    private static final int MAX_TOPIC = 256;

    private final int maxPayloadBytes;
    private final boolean allowSignIn;

    /** A parser that accepts {@code open-window} (sign-in over MQTT). */
    public CommandParser(int maxPayloadBytes) {
        this(maxPayloadBytes, true);
    }

    /**
     * @param maxPayloadBytes longest payload accepted
     * @param allowSignIn     whether {@code open-window} (which carries a staff PIN) is accepted; off
     *                        on connections whose command topics others can read
     */
    public CommandParser(int maxPayloadBytes, boolean allowSignIn) {
        this.allowSignIn = allowSignIn;
        if (maxPayloadBytes < 256) {
            throw new IllegalArgumentException("maxPayloadBytes must be at least 256, got " + maxPayloadBytes);
        }
        this.maxPayloadBytes = maxPayloadBytes;
    }

    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** Reads one command; never throws for bad input. */
    public ParsedCommand parse(String name, byte[] payload) {
        if (payload.length > maxPayloadBytes) {
            return new ParsedCommand.Rejected(name, null, null, null, InputError.PAYLOAD_TOO_LARGE,
                    "payload has " + payload.length + " bytes, at most " + maxPayloadBytes + " are accepted");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            return new ParsedCommand.Rejected(name, null, null, null, InputError.INVALID_UTF8,
                    "payload is not valid UTF-8");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JacksonException e) {
            // Jackson's own message quotes the payload ("Unrecognized token 'pin4711x'"), and the
            // reply may be read by anyone: say where, never what (docs/mqtt.md, "Error codes").
            return new ParsedCommand.Rejected(name, null, null, null, InputError.MALFORMED_JSON,
                    "payload is not valid JSON" + where(e));
        }
        if (root == null || !root.isObject()) {
            return new ParsedCommand.Rejected(name, null, null, null, InputError.MALFORMED_JSON,
                    "payload must be one JSON object");
        }
        Fields f = new Fields(root);
        // What can be read of the envelope addresses the reply even when the command is rejected.
        String requestId = f.peekString("requestId");
        if (requestId != null && (requestId.isEmpty() || requestId.length() > Request.MAX_REQUEST_ID_LENGTH)) {
            requestId = null;
        }
        String clientId = f.peekString("clientId");
        if (clientId != null && !CLIENT_ID.matcher(clientId).matches()) {
            clientId = null;
        }
        String replyTo = f.peekString("replyTo");
        if (replyTo != null && !validTopic(replyTo)) {
            replyTo = null;
        }
        try {
            String rid = f.string("requestId", Request.MAX_REQUEST_ID_LENGTH);
            String cid = f.matching("clientId", CLIENT_ID, "letters, digits, '.', '_', '-', at most 64");
            String reply = f.optString("replyTo", MAX_TOPIC);
            if (reply != null && !validTopic(reply)) {
                throw new CommandException(InputError.INVALID_ARGUMENT, "replyTo must be a topic name the hall can publish"
                        + " to: no wildcards, no control characters, no characters outside the Basic Multilingual Plane,"
                        + " not starting with '$'");
            }
            String staff = f.optString("actorStaffId", MAX_ID);
            if (!COMMANDS.contains(name)) {
                throw new CommandException(InputError.UNKNOWN_COMMAND, "unknown command '" + name + "'");
            }
            Actor actor = staff != null ? Actor.staff(staff) : Actor.device(cid);
            Operation op = operation(name, f);
            return new ParsedCommand.Valid(name, Request.by(actor, rid), cid, reply, op);
        } catch (CommandException e) {
            return new ParsedCommand.Rejected(name, requestId, clientId, replyTo, e.code(), e.getMessage());
        }
    }

    private static String where(JacksonException e) {
        com.fasterxml.jackson.core.JsonLocation l = e.getLocation();
        if (l == null || l.getLineNr() < 1) {
            return "";
        }
        return " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")";
    }

    /** Whether every surrogate of {@code s} is part of a pair: a JSON escape such as {@code \ud800} can break this. */
    static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A reply topic the hall can publish to (TopicNames: as MQTT and Paho allow), not longer than
     * {@value #MAX_TOPIC} characters, and not one of the broker's own ({@code $SYS/…}).
     */
    static boolean validTopic(String t) {
        return t.length() <= MAX_TOPIC && !t.startsWith("$") && TopicNames.valid(t);
    }

    /** The optional {@code kiosk} of issue-ticket and check-in: a kiosk id as in its configuration. */
    private static String kiosk(Fields f) throws CommandException {
        String k = f.optString("kiosk", MAX_ID);
        if (k != null && !k.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new CommandException(InputError.INVALID_ARGUMENT, "kiosk must be letters, digits, '.', '_' or '-'");
        }
        return k;
    }

    private Operation operation(String name, Fields f) throws CommandException {
        return switch (name) {
            case "issue-ticket" -> new Operation.IssueTicket(f.matching("category", CATEGORY, "one letter A-Z"),
                    f.optEnum("priority", PriorityClass.class, Set.of(PriorityClass.NORMAL, PriorityClass.GREEN_CHANNEL),
                            PriorityClass.NORMAL),
                    f.optString("serviceItem", MAX_ID), kiosk(f));
            case "check-in" -> {
                String code = f.string("code", MAX_ID);
                String category = f.matching("category", CATEGORY, "one letter A-Z");
                Instant start = f.instant("slotStart");
                Instant end = f.instant("slotEnd");
                if (!end.isAfter(start)) {
                    throw new CommandException(InputError.INVALID_ARGUMENT, "slotEnd must be after slotStart");
                }
                yield new Operation.CheckIn(new Appointment(code, category, start, end), kiosk(f));
            }
            case "call-next" -> onWindow(OnWindow.Kind.CALL_NEXT, f);
            case "recall" -> onWindow(OnWindow.Kind.RECALL, f);
            case "start" -> onWindow(OnWindow.Kind.START, f);
            case "no-show" -> onWindow(OnWindow.Kind.NO_SHOW, f);
            case "resume" -> onWindow(OnWindow.Kind.RESUME, f);
            case "close-window" -> onWindow(OnWindow.Kind.CLOSE, f);
            case "finish" -> new Operation.FinishService(f.string("window", MAX_ID), finish(f));
            case "transfer" -> new Operation.Transfer(f.string("window", MAX_ID),
                    new TransferTarget(f.matching("toCategory", CATEGORY, "one letter A-Z"), f.optString("toWindow", MAX_ID)));
            case "reactivate" -> new Operation.Reactivate(f.matching("ticket", TICKET, "a ticket number like A012"));
            case "pause" -> new Operation.Pause(f.string("window", MAX_ID),
                    f.reqEnum("kind", PauseKind.class, Set.of(PauseKind.values())), f.optString("reason", MAX_TEXT));
            case "sign-in-challenge" -> new Operation.SignInChallengeRequest(f.string("window", MAX_ID),
                    f.string("staffId", MAX_ID));
            case "open-window" -> openWindow(f);
            case "manual-case" -> {
                String category = f.matching("category", CATEGORY, "one letter A-Z");
                String window = f.string("window", MAX_ID);
                String staffId = f.string("staffId", MAX_ID);
                Instant arrived = f.instant("arrivedAt");
                Instant started = f.instant("startedAt");
                Instant finished = f.instant("finishedAt");
                if (started.isBefore(arrived) || finished.isBefore(started)) {
                    throw new CommandException(InputError.INVALID_ARGUMENT, "times must be arrivedAt <= startedAt <= finishedAt");
                }
                Finish finish = finish(f);
                yield new Operation.RecordManualCase(new ManualCase(category, finish.serviceItemId(), window, staffId,
                        arrived, started, finished, finish));
            }
            case "evaluate" -> new Operation.Evaluate(f.string("window", MAX_ID), f.integer("level", 1, 5));
            default -> throw new CommandException(InputError.UNKNOWN_COMMAND, "unknown command '" + name + "'");
        };
    }

    /**
     * {@code open-window} with the answer to a sign-in challenge ({@code nonce}, {@code proof}):
     * safe where others read the command topics, always accepted. With a PIN ({@code credential})
     * only where the connection allows it.
     */
    private Operation openWindow(Fields f) throws CommandException {
        String window = f.string("window", MAX_ID);
        String staffId = f.string("staffId", MAX_ID);
        String proof = f.optString("proof", 128);
        if (proof != null) {
            String nonce = f.matching("nonce", BASE64URL, "the nonce of a sign-in-challenge reply");
            if (!BASE64.matcher(proof).matches()) {
                throw new CommandException(InputError.INVALID_ARGUMENT, "'proof' must be Base64");
            }
            if (f.optString("credential", 128) != null) {
                throw new CommandException(InputError.INVALID_ARGUMENT, "give 'proof' and 'nonce' or 'credential', not both");
            }
            return new Operation.OpenWindow(window, staffId,
                    org.openhall.api.queue.SignInChallenge.SCHEME + "$" + nonce + "$" + proof);
        }
        String credential = f.string("credential", 128);
        if (!allowSignIn) {
            signInDisabled();
        }
        return new Operation.OpenWindow(window, staffId, credential);
    }

    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]{43}=");

    private static Operation signInDisabled() throws CommandException {
        throw new CommandException(InputError.SIGN_IN_DISABLED, "a PIN over MQTT is off on this connection: its command "
                + "topics are readable by others, and a PIN must not travel there. Answer a sign-in-challenge instead "
                + "(nonce and proof), sign in at the caller keypad or the console, or switch commands.allowSignIn on "
                + "where only authenticated users read command topics");
    }

    private static Operation onWindow(OnWindow.Kind kind, Fields f) throws CommandException {
        return new OnWindow(kind, f.string("window", MAX_ID));
    }

    private static Finish finish(Fields f) throws CommandException {
        Outcome outcome = f.reqEnum("outcome", Outcome.class,
                Set.of(Outcome.DONE, Outcome.MATERIALS_INCOMPLETE, Outcome.REFUSED));
        Finish finish = switch (outcome) {
            case DONE -> Finish.done();
            case MATERIALS_INCOMPLETE -> Finish.materialsIncomplete(f.stringList("missingMaterials", MAX_TEXT));
            case REFUSED -> Finish.refused(f.string("reason", MAX_TEXT), f.string("legalBasis", MAX_TEXT));
            case TRANSFERRED -> throw new IllegalStateException("excluded above");
        };
        String item = f.optString("serviceItem", MAX_ID);
        return item == null ? finish : finish.withServiceItem(item);
    }

    /** Typed access to the object's fields, each failure naming the field. */
    private static final class Fields {
        private final JsonNode root;

        Fields(JsonNode root) {
            this.root = root;
        }

        private JsonNode present(String field) {
            JsonNode n = root.get(field);
            return n == null || n.isNull() ? null : n;
        }

        String peekString(String field) {
            JsonNode n = present(field);
            return n != null && n.isTextual() && wellFormed(n.textValue()) ? n.textValue() : null;
        }

        String optString(String field, int maxLength) throws CommandException {
            JsonNode n = present(field);
            if (n == null) {
                return null;
            }
            if (!n.isTextual()) {
                throw new CommandException(InputError.WRONG_TYPE, "'" + field + "' must be a string");
            }
            String s = n.textValue();
            if (!wellFormed(s)) {
                throw new CommandException(InputError.INVALID_ARGUMENT,
                        "'" + field + "' must be valid Unicode (it has a lone surrogate)");
            }
            if (s.isBlank() || s.length() > maxLength) {
                throw new CommandException(InputError.INVALID_ARGUMENT,
                        "'" + field + "' must have 1.." + maxLength + " characters and not be blank");
            }
            return s;
        }

        String string(String field, int maxLength) throws CommandException {
            String s = optString(field, maxLength);
            if (s == null) {
                throw new CommandException(InputError.MISSING_FIELD, "'" + field + "' is required");
            }
            return s;
        }

        String matching(String field, Pattern p, String what) throws CommandException {
            String s = string(field, MAX_TOPIC);
            if (!p.matcher(s).matches()) {
                throw new CommandException(InputError.INVALID_ARGUMENT, "'" + field + "' must be " + what);
            }
            return s;
        }

        <E extends Enum<E>> E optEnum(String field, Class<E> type, Set<E> allowed, E dflt) throws CommandException {
            String s = optString(field, MAX_ID);
            if (s == null) {
                return dflt;
            }
            return toEnum(field, s, type, allowed);
        }

        <E extends Enum<E>> E reqEnum(String field, Class<E> type, Set<E> allowed) throws CommandException {
            return toEnum(field, string(field, MAX_ID), type, allowed);
        }

        private static <E extends Enum<E>> E toEnum(String field, String s, Class<E> type, Set<E> allowed)
                throws CommandException {
            for (E e : allowed) {
                if (e.name().equals(s)) {
                    return e;
                }
            }
            List<String> names = allowed.stream().map(Enum::name).sorted().toList();
            throw new CommandException(InputError.INVALID_ARGUMENT, "'" + field + "' must be one of " + names);
        }

        int integer(String field, int min, int max) throws CommandException {
            JsonNode n = present(field);
            if (n == null) {
                throw new CommandException(InputError.MISSING_FIELD, "'" + field + "' is required");
            }
            if (!n.isIntegralNumber()) {
                throw new CommandException(InputError.WRONG_TYPE, "'" + field + "' must be an integer");
            }
            if (!n.canConvertToInt() || n.intValue() < min || n.intValue() > max) {
                throw new CommandException(InputError.INVALID_ARGUMENT, "'" + field + "' must be " + min + ".." + max);
            }
            return n.intValue();
        }

        Instant instant(String field) throws CommandException {
            String s = string(field, MAX_ID);
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                throw new CommandException(InputError.INVALID_ARGUMENT,
                        "'" + field + "' must be an ISO-8601 UTC time like 2026-11-22T08:40:01Z");
            }
        }

        List<String> stringList(String field, int maxLength) throws CommandException {
            JsonNode n = present(field);
            if (n == null) {
                throw new CommandException(InputError.MISSING_FIELD, "'" + field + "' is required");
            }
            if (!n.isArray()) {
                throw new CommandException(InputError.WRONG_TYPE, "'" + field + "' must be an array of strings");
            }
            if (n.isEmpty()) {
                throw new CommandException(InputError.INVALID_ARGUMENT, "'" + field + "' must not be empty");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    throw new CommandException(InputError.WRONG_TYPE, "'" + field + "' must be an array of strings");
                }
                if (!wellFormed(e.textValue())) {
                    throw new CommandException(InputError.INVALID_ARGUMENT,
                            "items of '" + field + "' must be valid Unicode (one has a lone surrogate)");
                }
                if (e.textValue().isBlank() || e.textValue().length() > maxLength) {
                    throw new CommandException(InputError.INVALID_ARGUMENT,
                            "items of '" + field + "' must have 1.." + maxLength + " characters");
                }
                out.add(e.textValue());
            }
            return out;
        }
    }
}
