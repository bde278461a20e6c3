package org.openhall.queue.core.internal.engine;

import org.openhall.api.policy.CallingPolicy;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The calling policy in force: of all registered {@link CallingPolicy} services, the one with the
 * highest service ranking (ties: the lowest service id), or none. Cached, because the core asks
 * for it under its lock on every call.
 */
final class PolicyTracker extends ServiceTracker<CallingPolicy, CallingPolicy> {

    private volatile CallingPolicy current;
    private volatile int trackingCount = -1;

    PolicyTracker(BundleContext context) {
        super(context, CallingPolicy.class, null);
    }

    /** The policy that decides now, or null for the core's default. */
    CallingPolicy current() {
        int count = getTrackingCount();
        if (count != trackingCount) {
            synchronized (this) {
                ServiceReference<CallingPolicy>[] refs = getServiceReferences();
                ServiceReference<CallingPolicy> best = null;
                if (refs != null) {
                    for (ServiceReference<CallingPolicy> r : refs) {
                        // ServiceReference orders by ranking, then by age: the greatest wins.
                        if (best == null || r.compareTo(best) > 0) {
                            best = r;
                        }
                    }
                }
                current = best == null ? null : getService(best);
                trackingCount = count;
            }
        }
        return current;
    }
}
