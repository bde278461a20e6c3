package org.openhall.api.queue;

import java.util.Objects;

/**
 * Who performs an operation: every action is attributed (R17).
 *
 * @param kind staff member, device (kiosk, caller keypad, evaluator …) or the system itself
 *        (policies, day rollover)
 * @param id   staff id, device id or the name of the system part
 */
public record Actor(Kind kind, String id) {

    public enum Kind {
        STAFF, DEVICE, SYSTEM
    }

    public Actor {
        Objects.requireNonNull(kind, "kind");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("actor id is empty");
        }
    }

    public static Actor staff(String id) {
        return new Actor(Kind.STAFF, id);
    }

    public static Actor device(String id) {
        return new Actor(Kind.DEVICE, id);
    }

    public static Actor system(String id) {
        return new Actor(Kind.SYSTEM, id);
    }
}
