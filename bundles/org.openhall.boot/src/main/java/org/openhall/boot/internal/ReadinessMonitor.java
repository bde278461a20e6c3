package org.openhall.boot.internal;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.openhall.api.runtime.HallReady;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs {@code OpenHall READY in N ms} exactly once, when the launcher has installed and started
 * every run bundle and every component marked {@link HallReady#REQUIRED_PROPERTY} is usable; then
 * registers {@link HallReady}. Until then it says every {@value #REPORT_EVERY_MS} ms what it is
 * still waiting for. Device components are never required, so a dead device cannot hold READY back.
 *
 * <p>It polls the DS runtime on its own thread every {@value #POLL_MS} ms rather than listening
 * for events: readiness depends on DS-internal state (satisfied references, configurations) that
 * no single event reports, and polling never blocks activate.
 */
@Component(immediate = true)
public final class ReadinessMonitor {

    static final long POLL_MS = 50;
    static final long REPORT_EVERY_MS = 15_000;

    /** The bnd launcher registers a service with this property once all run bundles are started. */
    static final String LAUNCHER_READY_FILTER = "(launcher.ready=true)";

    private static final Logger LOG = LoggerFactory.getLogger(ReadinessMonitor.class);

    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    private final ScheduledExecutorService timer;
    private final long started = System.currentTimeMillis();
    private long lastReport = started;
    private volatile ServiceRegistration<HallReady> registration;

    @Activate
    public ReadinessMonitor(BundleContext context, @Reference ServiceComponentRuntime scr) {
        this.context = context;
        this.scr = scr;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "openhall-readiness");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, 0, POLL_MS, TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            if (!launcherDone()) {
                reportIfDue("the launcher to start the run bundles");
                return;
            }
            List<String> waiting = RequiredComponents.notReady(scr.getComponentDescriptionDTOs(),
                    scr::getComponentConfigurationDTOs);
            if (!waiting.isEmpty()) {
                reportIfDue(String.join(", ", waiting));
                return;
            }
            long millis = ManagementFactory.getRuntimeMXBean().getUptime();
            registration = context.registerService(HallReady.class, () -> millis, null);
            LOG.info("OpenHall READY in {} ms", millis);
            timer.shutdown();
        } catch (IllegalStateException e) {
            // Our bundle is stopping under us; deactivate shuts the timer down.
            timer.shutdown();
        } catch (RuntimeException e) {
            LOG.warn("Readiness check failed, will retry", e);
        }
    }

    private boolean launcherDone() throws IllegalStateException {
        try {
            return context.getServiceReferences((String) null, LAUNCHER_READY_FILTER) != null;
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private void reportIfDue(String what) {
        long now = System.currentTimeMillis();
        if (now - lastReport >= REPORT_EVERY_MS) {
            lastReport = now;
            LOG.warn("Not ready after {} s, waiting for: {}", (now - started) / 1000, what);
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(2, TimeUnit.SECONDS);
        ServiceRegistration<HallReady> r = registration;
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // unregistered by the framework when the bundle stopped
            }
        }
    }
}
