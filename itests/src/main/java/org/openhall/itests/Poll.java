package org.openhall.itests;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Waits for a condition by polling with a deadline: tests never sleep a fixed time. */
final class Poll {

    static final Duration DEFAULT = Duration.ofSeconds(30);

    private Poll() {
    }

    /** Returns the first non-empty value of {@code probe}, or fails after {@code timeout}. */
    static <T> T until(String what, Duration timeout, Supplier<Optional<T>> probe) {
        return until(what, timeout, probe, () -> "");
    }

    /** As above; on timeout the failure message includes what {@code lastSeen} says. */
    static <T> T until(String what, Duration timeout, Supplier<Optional<T>> probe, Supplier<Object> lastSeen) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what + " "
                        + lastSeen.get());
            }
            try {
                Thread.sleep(50); // poll interval, not synchronisation: the loop re-checks the condition
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + what, e);
            }
        }
    }

    static void until(String what, Supplier<Boolean> condition) {
        until(what, DEFAULT, () -> condition.get() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }
}
