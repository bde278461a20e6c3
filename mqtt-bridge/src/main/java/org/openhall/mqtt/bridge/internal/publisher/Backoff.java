package org.openhall.mqtt.bridge.internal.publisher;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: exponential from {@code initial} up to {@code max}, with "equal jitter" (each
 * delay is uniformly random between half and all of the exponential value), so that the screens
 * and halls that lost the same broker do not all come back in the same millisecond.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;
    private int failures;

    /**
     * @param random values in [0, 1); {@code Math::random} in production, fixed values in tests
     */
    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
        }
        this.initial = initial;
        this.max = max;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The delay before the next attempt, after one more failure. */
    public Duration next() {
        long cap = max.toMillis();
        long exp = initial.toMillis() << Math.min(failures, 30);
        long base = exp <= 0 || exp > cap ? cap : exp;
        failures++;
        long half = base / 2;
        return Duration.ofMillis(half + (long) (random.getAsDouble() * (base - half + 1)));
    }

    /** After a successful connection: start from {@code initial} again. */
    public void reset() {
        failures = 0;
    }
}
