package org.openhall.device.copier.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition with a deadline: tests never sleep a fixed time for synchronisation. */
final class Wait {

    private Wait() {
    }

    static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            try {
                Thread.sleep(10); // poll interval: the loop re-checks the condition
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
