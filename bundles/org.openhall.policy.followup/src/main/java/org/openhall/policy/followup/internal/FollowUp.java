package org.openhall.policy.followup.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An open follow-up (回访/整改, R7) of a bad rating or of a complaint (投诉, R15), as stored in the
 * journal: key {@link #id()}, value {@link #json()}. Linked to window, staff, ticket and category,
 * never to the citizen (R16).
 *
 * @param level    the rating 1..5 of a RATING follow-up, 0 for a complaint
 * @param text     what the complaint says (staff enter it without personal data), null for a rating
 * @param deadline the end of its last working day
 * @param due      that last working day, as shown
 */
record FollowUp(String id, Kind kind, String windowId, String staffId, String ticket, String categoryId, int level,
        String text, Instant openedAt, Instant deadline, LocalDate due) {

    enum Kind {
        RATING, COMPLAINT
    }

    FollowUp {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(openedAt, "openedAt");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(due, "due");
    }

    String json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind.name());
        m.put("window", windowId);
        m.put("staff", staffId);
        m.put("ticket", ticket);
        m.put("category", categoryId);
        m.put("level", level);
        m.put("text", text);
        m.put("openedAt", openedAt.toString());
        m.put("deadline", deadline.toString());
        m.put("due", due.toString());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a follow-up cannot be written as JSON", e);
        }
    }

    /** Flat JSON objects of strings and numbers: the stored form of a follow-up (Jackson, as the core). */
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a stored follow-up; throws {@link IllegalArgumentException} when it is not one. */
    static FollowUp parse(String id, String json) {
        try {
            Map<String, String> m = JSON.readValue(json, new TypeReference<Map<String, String>>() { });
            return new FollowUp(id, Kind.valueOf(m.get("kind")), m.get("window"), m.get("staff"), m.get("ticket"),
                    m.get("category"), m.get("level") == null ? 0 : Integer.parseInt(m.get("level")), m.get("text"),
                    Instant.parse(m.get("openedAt")), Instant.parse(m.get("deadline")), LocalDate.parse(m.get("due")));
        } catch (RuntimeException | JsonProcessingException e) {
            throw new IllegalArgumentException("not a follow-up: " + json, e);
        }
    }

    String alertId() {
        return FollowUpRule.ALERT_PREFIX + id;
    }
}
