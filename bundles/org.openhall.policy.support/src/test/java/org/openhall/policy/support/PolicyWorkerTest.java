package org.openhall.policy.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class PolicyWorkerTest {

    @Test
    void requestsWhileALookIsPendingMakeOneLook() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        PolicyWorker w = new PolicyWorker("test", looks::incrementAndGet);
        w.execute(() -> await(release)); // hold the thread
        for (int i = 0; i < 100; i++) {
            w.request();
        }
        release.countDown();
        assertEquals("done", w.call(() -> "done", Duration.ofSeconds(5)), "everything before it has run");
        assertEquals(1, looks.get());
        w.request();
        w.call(() -> null, Duration.ofSeconds(5));
        assertEquals(2, looks.get(), "a request after a look makes a new one");
        w.stop();
    }

    @Test
    void theThreadIsNamedAndGoneAfterStop() throws Exception {
        PolicyWorker w = new PolicyWorker("named", () -> { });
        Thread t = w.call(Thread::currentThread, Duration.ofSeconds(5));
        assertEquals("policy-named", t.getName());
        assertTrue(t.isDaemon());
        CountDownLatch ticks = new CountDownLatch(3);
        w.every(Duration.ofMillis(1), ticks::countDown);
        assertTrue(ticks.await(5, TimeUnit.SECONDS));
        w.stop();
        t.join(5_000);
        assertFalse(t.isAlive(), "no thread left behind");
        assertFalse(w.execute(() -> { }));
        assertNull(w.every(Duration.ofSeconds(1), () -> { }));
        w.request(); // harmless once stopped
        assertThrows(IllegalStateException.class, () -> w.call(() -> 1, Duration.ofSeconds(1)));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
