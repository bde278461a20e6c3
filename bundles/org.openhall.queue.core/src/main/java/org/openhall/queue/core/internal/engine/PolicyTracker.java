package org.openhall.queue.core.internal.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.openhall.api.policy.CallingPolicy;
import org.openhall.api.policy.CloseGate;
import org.openhall.api.policy.IssueGate;
import org.openhall.api.policy.PhasePolicy;
import org.openhall.queue.core.domain.Policies;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The policies in force: every registered {@link CallingPolicy}, {@link IssueGate},
 * {@link CloseGate} and {@link PhasePolicy}, ordered by service ranking, highest first (ties: the
 * lowest service id, i.e. {@link ServiceReference#compareTo} descending). Cached and rebuilt only
 * when a tracker saw a change, because the core asks under its lock on every operation. A policy
 * bundle that is updated or stopped simply drops out; the next operation uses what is left.
 */
final class PolicyTracker {

    private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();
    private final ServiceTracker<CallingPolicy, CallingPolicy> calling;
    private final ServiceTracker<IssueGate, IssueGate> issue;
    private final ServiceTracker<CloseGate, CloseGate> close;
    private final ServiceTracker<PhasePolicy, PhasePolicy> phase;

    private volatile Policies current = Policies.NONE;
    private volatile int trackingCount = -1;

    PolicyTracker(BundleContext context) {
        calling = add(new ServiceTracker<>(context, CallingPolicy.class, null));
        issue = add(new ServiceTracker<>(context, IssueGate.class, null));
        close = add(new ServiceTracker<>(context, CloseGate.class, null));
        phase = add(new ServiceTracker<>(context, PhasePolicy.class, null));
    }

    private <S> ServiceTracker<S, S> add(ServiceTracker<S, S> t) {
        trackers.add(t);
        return t;
    }

    void open() {
        trackers.forEach(ServiceTracker::open);
    }

    void close() {
        trackers.forEach(ServiceTracker::close);
    }

    /** The calling policy that decides now, or null for the core's default. */
    CallingPolicy currentCalling() {
        return current().calling();
    }

    /** Every policy in force now, ordered. */
    Policies current() {
        int count = 0;
        for (ServiceTracker<?, ?> t : trackers) {
            count += t.getTrackingCount();
        }
        if (count != trackingCount) {
            synchronized (this) {
                List<CallingPolicy> callers = ordered(calling);
                List<PhasePolicy> phases = ordered(phase);
                current = new Policies(callers.isEmpty() ? null : callers.get(0), ordered(issue), ordered(close),
                        phases.isEmpty() ? null : phases.get(0));
                trackingCount = count;
            }
        }
        return current;
    }

    private static <S> List<S> ordered(ServiceTracker<S, S> tracker) {
        ServiceReference<S>[] refs = tracker.getServiceReferences();
        if (refs == null) {
            return List.of();
        }
        List<ServiceReference<S>> sorted = new ArrayList<>(Arrays.asList(refs));
        // ServiceReference orders by ranking, then by age: the greatest wins.
        sorted.sort(Collections.reverseOrder());
        List<S> out = new ArrayList<>(sorted.size());
        for (ServiceReference<S> r : sorted) {
            S service = tracker.getService(r);
            if (service != null) {
                out.add(service);
            }
        }
        return List.copyOf(out);
    }
}
