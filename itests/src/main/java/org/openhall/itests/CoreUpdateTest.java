package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.event.Event;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Hot swap of the core itself: the queue core bundle is updated in place while kiosks keep issuing
 * tickets from several threads. Callers see the service vanish or get UNAVAILABLE, retry (bounded),
 * and nothing acknowledged is lost; the sequence numbers continue without a gap.
 */
@ExtendWith(BundleContextExtension.class)
class CoreUpdateTest {

    static final String CORE = "org.openhall.queue.core";
    static final int KIOSKS = 4;
    static final String[] CATEGORIES = { "A", "B", "C" };
    static final long PACE_NANOS = 20_000_000;

    @InjectBundleContext
    BundleContext context;

    /** A kiosk thread only ends early with a failure: report it at once, not after a timeout. */
    static void failFastIfAKioskDied(List<Future<?>> kiosks) {
        for (Future<?> f : kiosks) {
            if (f.isDone()) {
                try {
                    f.get();
                } catch (Exception e) {
                    throw new AssertionError("a kiosk failed: " + e.getCause(), e.getCause());
                }
            }
        }
    }

    @Test
    void updatingTheCoreBundleWhileTicketsAreIssuedLosesNothing() throws Exception {
        ServiceTracker<HallQueue, HallQueue> tracker = new ServiceTracker<>(context, HallQueue.class, null);
        tracker.open();
        try (EventRecorder events = new EventRecorder(context)) {
            HallQueue queue = tracker.waitForService(30_000);
            long startSeq = queue.snapshot().seq();

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger unavailable = new AtomicInteger();
            CountDownLatch flowing = new CountDownLatch(KIOSKS * 5);
            ExecutorService kiosks = Executors.newFixedThreadPool(KIOSKS);
            List<Future<?>> running = new ArrayList<>();
            for (int k = 0; k < KIOSKS; k++) {
                Actor kiosk = Actor.device("kiosk-" + k);
                String category = CATEGORIES[k % CATEGORIES.length];
                running.add(kiosks.submit(() -> {
                    while (!stop.get()) {
                        // A kiosk's pace (about 50 tickets/s each): keeps the day's numbers
                        // (999 per category) from running out during the test. Not synchronisation.
                        LockSupport.parkNanos(PACE_NANOS);
                        Request request = Request.by(kiosk, UUID.randomUUID().toString());
                        // Retry the same request id until it is acknowledged: at most once, never lost.
                        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                        while (true) {
                            HallQueue q = tracker.getService();
                            Result<IssuedTicket> r = q == null ? null : q.issueTicket(request, category, PriorityClass.NORMAL, null);
                            if (r != null && r.isOk()) {
                                acknowledged.add(r.value().ticket().number());
                                flowing.countDown();
                                break;
                            }
                            if (r != null && r.error().code() != ErrorCode.UNAVAILABLE) {
                                throw new AssertionError("unexpected refusal " + r.error());
                            }
                            unavailable.incrementAndGet();
                            if (System.nanoTime() > deadline) {
                                throw new AssertionError("the core did not come back within 30 s");
                            }
                            Thread.onSpinWait();
                            tracker.waitForService(100);
                        }
                    }
                    return null;
                }));
            }
            assertTrue(flowing.await(30, TimeUnit.SECONDS), "tickets are being issued");
            failFastIfAKioskDied(running);

            Bundle core = Stream.of(context.getBundles()).filter(b -> CORE.equals(b.getSymbolicName())).findFirst()
                    .orElseThrow();
            core.update();
            HallQueue updated = Poll.until("the updated core", Duration.ofSeconds(30),
                    () -> java.util.Optional.ofNullable(tracker.getService()));
            int acknowledgedAtUpdate = acknowledged.size();
            Poll.until("tickets issued after the update", () -> {
                failFastIfAKioskDied(running);
                return acknowledged.size() > acknowledgedAtUpdate + KIOSKS * 5;
            });
            stop.set(true);
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
            kiosks.shutdown();

            HallQueue after = tracker.getService();
            for (String number : acknowledged) {
                assertTrue(after.ticket(number).isPresent(), "acknowledged ticket " + number + " survived the update");
            }
            long endSeq = after.snapshot().seq();
            List<Event> seen = events.awaitThrough(startSeq, endSeq, Duration.ofSeconds(30));
            for (int i = 0; i < seen.size(); i++) {
                assertEquals(startSeq + 1 + i, EventRecorder.seq(seen.get(i)), "seq continues without a gap or repeat");
            }
            assertEquals(endSeq - startSeq, seen.size());
            assertTrue(updated != null);
        } finally {
            tracker.close();
        }
    }
}
