package org.openhall.api.runtime;

import java.util.Objects;

/**
 * What a {@link HealthCheck} found.
 *
 * @param healthy whether the part works
 * @param detail  what was checked and found, for the log and for operators (English); never
 *                {@code null}
 * @since 1.1
 */
public record Health(boolean healthy, String detail) {

    public Health {
        Objects.requireNonNull(detail, "detail");
    }

    public static Health up(String detail) {
        return new Health(true, detail);
    }

    public static Health down(String detail) {
        return new Health(false, detail);
    }
}
