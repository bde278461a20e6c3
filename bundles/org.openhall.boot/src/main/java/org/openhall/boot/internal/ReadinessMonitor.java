package org.openhall.boot.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.openhall.api.runtime.HallHome;
import org.openhall.api.runtime.HallReady;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs {@code OpenHall READY in N ms} exactly once, when the launcher has installed and started
 * every run bundle, the framework has reached its beginning start level, every bundle it should
 * have started is active with its components known to DS, every component marked {@link HallReady#REQUIRED_PROPERTY} is usable
 * and every configuration file of {@code etc/} and {@code deploy/} has reached its component
 * ({@link DeliveredConfigurations}; at most {@value #CONFIG_WAIT_MS} ms); then
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
    /**
     * How long READY waits for configuration files to reach their components once everything
     * else is ready: a file FileInstall cannot read must not keep the hall from starting.
     */
    static final long CONFIG_WAIT_MS = 30_000;

    /** The bnd launcher registers a service with this property once all run bundles are started. */
    static final String LAUNCHER_READY_FILTER = "(launcher.ready=true)";

    private static final Logger LOG = LoggerFactory.getLogger(ReadinessMonitor.class);

    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    private final HallHome home;
    private final ScheduledExecutorService timer;
    private final long started = System.currentTimeMillis();
    private long lastReport = started;
    private volatile ServiceRegistration<HallReady> registration;
    private final Set<Long> unresolvedReported = new HashSet<>();
    private long configWaitStarted;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin configAdmin;

    @Activate
    public ReadinessMonitor(BundleContext context, @Reference ServiceComponentRuntime scr, @Reference HallHome home) {
        this.context = context;
        this.home = home;
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
            if (!startLevelReached()) {
                reportIfDue("the framework to reach its beginning start level");
                return;
            }
            String starting = bundleStillStarting();
            if (starting != null) {
                reportIfDue(starting);
                return;
            }
            List<String> waiting = RequiredComponents.notReady(scr.getComponentDescriptionDTOs(),
                    scr::getComponentConfigurationDTOs, this::registered);
            if (!waiting.isEmpty()) {
                reportIfDue(String.join(", ", waiting));
                return;
            }
            List<String> undelivered = undeliveredConfigurations();
            if (!undelivered.isEmpty()) {
                long now = System.currentTimeMillis();
                if (configWaitStarted == 0) {
                    configWaitStarted = now;
                }
                if (now - configWaitStarted < CONFIG_WAIT_MS) {
                    reportIfDue(String.join(", ", undelivered));
                    return;
                }
                LOG.warn("Configuration not loaded after {} s, going on without: {}", CONFIG_WAIT_MS / 1000,
                        String.join(", ", undelivered));
            }
            long millis = ManagementFactory.getRuntimeMXBean().getUptime();
            // The line first: whoever reacts to HallReady (the systemd notifier's READY=1) comes after it.
            LOG.info("OpenHall READY in {} ms", millis);
            registration = context.registerService(HallReady.class, () -> millis, null);
            timer.shutdown();
        } catch (IllegalStateException e) {
            // Our bundle is stopping under us; deactivate shuts the timer down.
            timer.shutdown();
        } catch (RuntimeException e) {
            LOG.warn("Readiness check failed, will retry", e);
        }
    }

    /**
     * What of the configuration files in FileInstall's folders has not reached its component yet
     * ({@link DeliveredConfigurations}); all of them while Config Admin is not there.
     */
    private List<String> undeliveredConfigurations() {
        List<Path> files = configurationFiles();
        if (files.isEmpty()) {
            return List.of();
        }
        ConfigurationAdmin admin = configAdmin;
        if (admin == null) {
            return List.of("Config Admin to read " + files.size() + " configuration files");
        }
        List<DeliveredConfigurations.Loaded> loaded = new ArrayList<>();
        try {
            Configuration[] configs = admin.listConfigurations("(" + DeliveredConfigurations.FILE_PROPERTY + "=*)");
            for (Configuration c : configs == null ? new Configuration[0] : configs) {
                Object file = c.getProperties() == null ? null : c.getProperties().get(DeliveredConfigurations.FILE_PROPERTY);
                loaded.add(new DeliveredConfigurations.Loaded(c.getPid(), c.getFactoryPid(), String.valueOf(file)));
            }
        } catch (IOException | InvalidSyntaxException e) {
            return List.of("Config Admin (" + e.getMessage() + ")");
        }
        return DeliveredConfigurations.notDelivered(files, loaded, scr.getComponentDescriptionDTOs(),
                scr::getComponentConfigurationDTOs, scr::isComponentEnabled);
    }

    /**
     * The {@code .cfg} and {@code .config} files of the home's {@code etc/} and {@code deploy/},
     * the folders the runtime gives FileInstall.
     */
    private List<Path> configurationFiles() {
        List<Path> files = new ArrayList<>();
        for (Path d : List.of(home.etc(), home.deploy())) {
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> list = Files.list(d)) {
                list.filter(Files::isRegularFile).filter(f -> {
                    String name = f.getFileName().toString();
                    return name.endsWith(".cfg") || name.endsWith(".config");
                }).forEach(files::add);
            } catch (IOException | UncheckedIOException e) {
                LOG.warn("Cannot list {}: {}", d, e.toString());
            }
        }
        return files;
    }

    /** Whether the service of a component configuration is in the registry. */
    private boolean registered(org.osgi.service.component.runtime.dto.ComponentConfigurationDTO c) {
        try {
            return context.getServiceReferences((String) null, "(" + ComponentConstants.COMPONENT_ID + "=" + c.id + ")") != null;
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private boolean launcherDone() throws IllegalStateException {
        try {
            return context.getServiceReferences((String) null, LAUNCHER_READY_FILTER) != null;
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The launcher raises the start level asynchronously: until the framework reached its beginning
     * start level, the bundles of the higher levels (the queue core among them) have not started
     * and their components are not even known yet.
     */
    private boolean startLevelReached() {
        String beginning = context.getProperty(Constants.FRAMEWORK_BEGINNING_STARTLEVEL);
        int target = beginning == null || beginning.isBlank() ? 1 : Integer.parseInt(beginning.trim());
        FrameworkStartLevel level = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkStartLevel.class);
        return level.getStartLevel() >= target;
    }

    /**
     * A bundle the framework should have started by now (persistently started, at or below the
     * active start level) that is not ACTIVE yet, or whose components SCR has not picked up yet.
     * A bundle that cannot even resolve (a broken drop-in) is reported once and not waited for:
     * it must not keep the hall from becoming ready.
     */
    private String bundleStillStarting() {
        int active = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkStartLevel.class).getStartLevel();
        for (Bundle b : context.getBundles()) {
            if (b.getBundleId() == 0 || b.getHeaders("").get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            BundleStartLevel level = b.adapt(BundleStartLevel.class);
            if (level == null || !level.isPersistentlyStarted() || level.getStartLevel() > active) {
                continue;
            }
            boolean lazy = Constants.ACTIVATION_LAZY.equals(b.getHeaders("").get(Constants.BUNDLE_ACTIVATIONPOLICY));
            switch (b.getState()) {
            case Bundle.INSTALLED:
                if (unresolvedReported.add(b.getBundleId())) {
                    LOG.warn("Bundle {} cannot be resolved and is not started; the hall does not wait for it",
                            b.getSymbolicName());
                }
                continue;
            case Bundle.RESOLVED:
                return "bundle " + b.getSymbolicName() + " to start";
            case Bundle.STARTING:
                if (!lazy) {
                    return "bundle " + b.getSymbolicName() + " to start";
                }
                continue;
            default:
                if (b.getHeaders("").get("Service-Component") != null && scr.getComponentDescriptionDTOs(b).isEmpty()) {
                    return "the components of " + b.getSymbolicName();
                }
            }
        }
        return null;
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
