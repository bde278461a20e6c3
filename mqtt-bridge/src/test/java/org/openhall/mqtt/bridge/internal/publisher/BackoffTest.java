package org.openhall.mqtt.bridge.internal.publisher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delaysDoubleUpToTheMaximumWithJitterBetweenHalfAndAll() {
        Backoff low = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.0);
        assertEquals(50, low.next().toMillis());
        assertEquals(100, low.next().toMillis());
        assertEquals(200, low.next().toMillis());
        assertEquals(400, low.next().toMillis());
        assertEquals(500, low.next().toMillis(), "capped at the maximum");
        assertEquals(500, low.next().toMillis());
        Backoff high = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.999999);
        assertEquals(100, high.next().toMillis());
        assertEquals(200, high.next().toMillis());
        assertEquals(400, high.next().toMillis());
        assertEquals(800, high.next().toMillis());
        assertEquals(1000, high.next().toMillis(), "never above the maximum");
        assertEquals(1000, high.next().toMillis());
    }

    @Test
    void resetStartsOverAndBadBoundsAreRefused() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(60), () -> 0.0);
        for (int i = 0; i < 40; i++) {
            b.next();
        }
        assertEquals(30_000, b.next().toMillis(), "no overflow after many failures");
        b.reset();
        assertEquals(50, b.next().toMillis());
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), Math::random));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), Math::random));
    }
}
