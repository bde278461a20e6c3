package org.openhall.web.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;

import org.junit.jupiter.api.Test;
import org.openhall.api.queue.ErrorCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Every refusal the pages can get has a Chinese text in the pages' resource file. */
class TextsTest {

    @Test
    void everyErrorCodeOfTheCoreAndTheBridgeHasAChineseText() throws Exception {
        JsonNode texts;
        try (InputStream in = getClass().getResourceAsStream("/web/i18n/zh.json")) {
            texts = new ObjectMapper().readTree(in);
        }
        for (ErrorCode c : ErrorCode.values()) {
            assertTrue(texts.hasNonNull("error." + c.name()), () -> "no text for " + c);
        }
        for (String bridge : new String[] { "PAYLOAD_TOO_LARGE", "INVALID_UTF8", "MALFORMED_JSON", "UNKNOWN_COMMAND",
                "MISSING_FIELD", "WRONG_TYPE", "SIGN_IN_DISABLED", "TIMEOUT", "OFFLINE" }) {
            assertTrue(texts.hasNonNull("error." + bridge), () -> "no text for " + bridge);
        }
    }
}
