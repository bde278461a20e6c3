package org.openhall.mqtt.bridge.internal.command;

import java.util.Objects;

import org.openhall.api.device.Kiosk;
import org.openhall.api.device.KioskIssue;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.QueueError;
import org.openhall.api.queue.Result;
import org.openhall.mqtt.bridge.internal.payload.Json;
import org.openhall.mqtt.bridge.internal.payload.Payloads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns one command message into one queue operation and its reply (docs/mqtt.md, "Commands").
 * A rejected command is logged once (WARN: topic, client, code; never the payload, which may hold a
 * PIN) and changes nothing. The queue core is idempotent by request id, so a repeated command
 * gets the first reply again.
 */
public final class CommandProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);

    /** The notice of a kiosk ticket that was not printed (R5). */
    public static final String NOT_PRINTED = "未能打印,请牢记您的号码";

    /** Reply topic suffix when the sender could not be identified. */
    public static final String UNIDENTIFIED = "_unidentified";

    private final String root;
    private final CommandParser parser;
    private final Payloads payloads;
    private final HallQueue queue;
    /** Where {@code replyTo} may point: {@code {root}/replies/} and the configured prefixes. */
    private final java.util.List<String> replySpaces;
    private final java.util.function.Function<String, Kiosk> kiosks;

    /** As below, with replies allowed only under {@code {root}/replies/}. */
    public CommandProcessor(String root, CommandParser parser, Payloads payloads, HallQueue queue) {
        this(root, parser, payloads, queue, java.util.List.of());
    }

    /**
     * @param root     the topic root, {@code openhall/v1/{hallId}}
     * @param parser   the command reader
     * @param payloads result payloads
     * @param queue    the queue the operations run on
     * @param replyPrefixes topic prefixes outside the root where {@code replyTo} may point too
     */
    public CommandProcessor(String root, CommandParser parser, Payloads payloads, HallQueue queue,
            java.util.List<String> replyPrefixes) {
        this(root, parser, payloads, queue, replyPrefixes, id -> null);
    }

    /**
     * As above; {@code kiosks} finds the kiosk an {@code issue-ticket} or {@code check-in} names
     * ({@code kiosk} field), or null when no such kiosk runs.
     */
    public CommandProcessor(String root, CommandParser parser, Payloads payloads, HallQueue queue,
            java.util.List<String> replyPrefixes, java.util.function.Function<String, Kiosk> kiosks) {
        this.kiosks = Objects.requireNonNull(kiosks, "kiosks");
        this.root = Objects.requireNonNull(root, "root");
        java.util.List<String> spaces = new java.util.ArrayList<>();
        spaces.add(root + "/replies/");
        spaces.addAll(replyPrefixes);
        this.replySpaces = java.util.List.copyOf(spaces);
        this.parser = Objects.requireNonNull(parser, "parser");
        this.payloads = Objects.requireNonNull(payloads, "payloads");
        this.queue = Objects.requireNonNull(queue, "queue");
    }

    /** A reply to publish (QoS 1, not retained). */
    public record Reply(String topic, ObjectNode payload) {
        public byte[] bytes() {
            return Json.bytes(payload);
        }
    }

    /**
     * Handles the message received on {@code topic} ({@code {root}/commands/{name}}).
     *
     * @return the reply, also for rejected commands
     */
    public Reply handle(String topic, byte[] payload) {
        String prefix = root + "/commands/";
        String name = topic.startsWith(prefix) ? topic.substring(prefix.length()) : topic;
        ParsedCommand parsed = parser.parse(name, payload);
        if (parsed.replyTo() != null && replySpaces.stream().noneMatch(parsed.replyTo()::startsWith)) {
            // Replies only where replies belong: else a command user could make the hall itself
            // publish onto its state topics ("replyTo":"openhall/v1/demo/status").
            parsed = parsed instanceof ParsedCommand.Rejected r
                    ? new ParsedCommand.Rejected(name, r.requestId(), r.clientId(), null, r.code(), r.message())
                    : new ParsedCommand.Rejected(name, parsed.requestId(), parsed.clientId(), null,
                            InputError.INVALID_ARGUMENT, "replyTo must be under " + String.join(" or ", replySpaces));
        }
        String replyTopic = replyTopic(parsed);
        if (parsed instanceof ParsedCommand.Rejected r) {
            LOG.warn("Command rejected: topic {}, client {}, request {}: {} ({})", topic, r.clientId(), r.requestId(),
                    r.code(), r.message());
            return new Reply(replyTopic, error(r.requestId(), r.code().name(), r.message(), false));
        }
        ParsedCommand.Valid v = (ParsedCommand.Valid) parsed;
        Result<?> result;
        KioskIssue printed = null;
        String kioskId = v.operation() instanceof Operation.IssueTicket it ? it.kiosk()
                : v.operation() instanceof Operation.CheckIn ci ? ci.kiosk() : null;
        try {
            if (kioskId != null) {
                Kiosk kiosk = kiosks.apply(kioskId);
                if (kiosk == null) {
                    // Absent or being updated: the kiosk may retry, nothing was issued.
                    LOG.info("Command {} from {} (request {}) refused: no kiosk {}", name, v.clientId(), v.requestId(),
                            kioskId);
                    return new Reply(replyTopic, error(v.requestId(), ErrorCode.UNAVAILABLE.name(),
                            "kiosk " + kioskId + " is not available", true));
                }
                // The kiosk issues and prints, failing over to its second printer (R5).
                printed = v.operation() instanceof Operation.IssueTicket it
                        ? kiosk.issue(v.request(), it.category(), it.priority(), it.serviceItem())
                        : kiosk.checkIn(v.request(), ((Operation.CheckIn) v.operation()).appointment());
                result = printed.ticket();
            } else {
                result = v.operation().apply(queue, v.request());
            }
        } catch (RuntimeException e) {
            LOG.error("Command {} from {} (request {}) failed unexpectedly", name, v.clientId(), v.requestId(), e);
            return new Reply(replyTopic, error(v.requestId(), ErrorCode.INTERNAL.name(), "unexpected failure", false));
        }
        if (result instanceof Result.Ok<?> ok) {
            ObjectNode n = Json.object();
            n.put("requestId", v.requestId());
            n.put("ok", true);
            ObjectNode r = payloads.result(ok.value());
            if (printed != null) {
                r.put("kiosk", kioskId);
                r.put("printed", printed.printed());
                r.put("printer", printed.printerId());
                r.put("notice", printed.printed() ? null : printed.notice() != null ? printed.notice() : NOT_PRINTED);
            }
            n.set("result", r);
            return new Reply(replyTopic, n);
        }
        QueueError e = result.error();
        LOG.info("Command {} from {} (request {}) refused: {} ({})", name, v.clientId(), v.requestId(), e.code(),
                e.message());
        return new Reply(replyTopic, error(v.requestId(), e.code().name(), e.message(), e.code().retryable()));
    }

    private String replyTopic(ParsedCommand p) {
        if (p.replyTo() != null) {
            return p.replyTo();
        }
        return root + "/replies/" + (p.clientId() != null ? p.clientId() : UNIDENTIFIED);
    }

    private static ObjectNode error(String requestId, String code, String message, boolean retryable) {
        ObjectNode n = Json.object();
        n.put("requestId", requestId);
        n.put("ok", false);
        ObjectNode e = n.putObject("error");
        e.put("code", code);
        e.put("message", message);
        e.put("retryable", retryable);
        return n;
    }
}
