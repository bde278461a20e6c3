package org.openhall.testsupport;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Checks that a component left no thread behind after its close. An executor's
 * {@code awaitTermination} returns once its tasks are done, while its thread is still on its way
 * out, so the check polls for a bounded time instead of looking once.
 */
public final class Threads {

    /** How long a thread that has done its work may take to end. */
    static final long BOUND_MILLIS = 5_000;

    private Threads() {
    }

    /** Fails with {@code message} and the names of the threads when a thread whose name starts with one of {@code prefixes} is still alive after the bound. */
    public static void assertNoneLeft(String message, String... prefixes) {
        long deadline = System.nanoTime() + BOUND_MILLIS * 1_000_000;
        List<String> left;
        while (!(left = alive(prefixes)).isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(message + ": " + left);
            }
            try {
                Thread.sleep(10); // polling a condition that has no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(message + ": interrupted while " + left + " were alive", e);
            }
        }
    }

    static List<String> alive(String... prefixes) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> List.of(prefixes).stream().anyMatch(n::startsWith)).sorted()
                .collect(Collectors.toList());
    }
}
