package org.openhall.queue.core.internal.engine;

import java.io.IOException;
import java.util.Map;

import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.QueueError;
import org.openhall.api.queue.Result;
import org.openhall.api.queue.TicketView;
import org.openhall.api.queue.WindowView;
import org.openhall.queue.core.domain.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Stores an operation's result with its request id, so that a repeated request id returns the
 * first result even after a restart: {@code {"ok":true,"kind":"TicketView","value":{…}}} or
 * {@code {"ok":false,"code":"…","message":"…"}}.
 */
final class ResultCodec {

    private static final Map<String, Class<?>> KINDS = Map.of(
            "IssuedTicket", IssuedTicket.class,
            "TicketView", TicketView.class,
            "WindowView", WindowView.class,
            "Evaluation", org.openhall.api.queue.Evaluation.class,
            "Alert", org.openhall.api.queue.Alert.class,
            "Boolean", Boolean.class);

    private final ObjectMapper json = Json.MAPPER;

    byte[] encode(Result<?> result) {
        ObjectNode node = json.createObjectNode();
        if (result.isOk()) {
            Object value = result.value();
            String kind = value.getClass().getSimpleName();
            if (!KINDS.containsKey(kind)) {
                throw new IllegalArgumentException("not a stored result type: " + value.getClass());
            }
            node.put("ok", true).put("kind", kind).set("value", json.valueToTree(value));
        } else {
            QueueError e = result.error();
            node.put("ok", false).put("code", e.code().name()).put("message", e.message());
        }
        try {
            return json.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a result", e);
        }
    }

    <T> Result<T> decode(byte[] bytes, Class<T> expected) throws IOException {
        JsonNode node = json.readTree(bytes);
        if (!node.path("ok").asBoolean()) {
            return Result.error(ErrorCode.valueOf(node.path("code").asText()), node.path("message").asText());
        }
        Class<?> kind = KINDS.get(node.path("kind").asText());
        if (kind == null || !expected.isAssignableFrom(kind)) {
            throw new IOException("stored result is a " + node.path("kind").asText() + ", not a " + expected.getSimpleName());
        }
        return Result.ok(expected.cast(json.treeToValue(node.path("value"), kind)));
    }
}
