package org.openhall.policy.support;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one thread of an observer policy, named {@code policy-<name>}: where it looks at the hall
 * and acts, never on Event Admin's thread and never in {@code activate}. Requests to look again
 * that come while a look is pending make one look ({@link #request()}), periodic work runs on the
 * same thread ({@link #every}), and {@link #stop()} ends the thread and waits for it, so a stopped
 * or updated policy bundle leaves no thread behind.
 *
 * <p>A plain {@link ScheduledExecutorService} with these conventions; every policy bundle gets a
 * private copy of this package (bnd {@code -conditionalpackage}), so no bundle depends on another
 * at run time. Tasks must catch their own exceptions: one that escapes a periodic task ends that
 * schedule (as with any executor).
 */
public final class PolicyWorker {

    private final ScheduledExecutorService executor;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final Runnable look;

    /**
     * @param name the policy's short name, for the thread name
     * @param look what {@link #request()} runs: the policy looking at the hall again
     */
    public PolicyWorker(String name, Runnable look) {
        this.look = look;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "policy-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Asks for one look; requests made before it starts are served by the same look. Never blocks. */
    public void request() {
        if (pending.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    pending.set(false);
                    look.run();
                });
            } catch (RejectedExecutionException stopped) {
                pending.set(false);
            }
        }
    }

    /** Runs {@code task} every {@code period}, the first time after one period; null once stopped. */
    public ScheduledFuture<?> every(Duration period, Runnable task) {
        return every(period, period, task);
    }

    /** Runs {@code task} every {@code period}, the first time after {@code first}; null once stopped. */
    public ScheduledFuture<?> every(Duration first, Duration period, Runnable task) {
        try {
            return executor.scheduleWithFixedDelay(task, first.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            return null;
        }
    }

    /** Runs {@code task} on the thread; false once stopped. */
    public boolean execute(Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException stopped) {
            return false;
        }
    }

    /**
     * Runs {@code task} on the thread and waits for its answer (a console command that must see the
     * policy's state in order with its other work).
     *
     * @throws ExecutionException   what the task threw
     * @throws TimeoutException     it did not finish in time
     * @throws IllegalStateException the worker is stopped
     */
    public <T> T call(Callable<T> task, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return executor.submit(task).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            throw new IllegalStateException("the policy is stopping", stopped);
        }
    }

    /** Ends the thread (interrupting the current task) and waits up to 5 s for it. */
    public void stop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
