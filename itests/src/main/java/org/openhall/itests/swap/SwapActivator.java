package org.openhall.itests.swap;

import org.openhall.api.policy.IssueGate;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The hot-swap test policy bundle's activator. The bundle is assembled by the test from these
 * class files (see PolicyHotSwapTest), so it has no DS descriptor: the activator registers the
 * gate named by the manifest header {@code Swap-Gate} and the framework unregisters it on stop.
 */
public final class SwapActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) throws Exception {
        String gate = context.getBundle().getHeaders().get("Swap-Gate");
        IssueGate g = (IssueGate) Class.forName(gate).getDeclaredConstructor().newInstance();
        context.registerService(IssueGate.class, g, null);
    }

    @Override
    public void stop(BundleContext context) {
        // services registered by the bundle go with it
    }
}
