package org.openhall.boot.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.openhall.api.runtime.HallHome;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares the hall home before the rest of the hall starts and registers it as {@link HallHome}.
 *
 * <p>This is a plain activator, not a DS component, on purpose: it must run synchronously and
 * before FileInstall (start level order), because FileInstall's watched folders are written as
 * {@code ${openhall.home}/etc} and {@code ${openhall.home}/deploy} in the launcher properties. The
 * home is resolved once here, by the rule documented on {@link HallHome}, and published as the
 * system property {@value HallHome#HOME_PROPERTY}, so FileInstall, logging and every bundle see
 * the same folders whether the home came from the property, the environment or the current
 * directory.
 *
 * <p>It also installs the JVM shutdown hook that turns SIGTERM (and Ctrl-C) into an orderly stop
 * of the framework: the bnd launcher has none, and without it no bundle would get to close its
 * database or say goodbye to its broker.
 */
public final class BootActivator implements BundleActivator {

    private static final Logger LOG = LoggerFactory.getLogger(BootActivator.class);

    /**
     * Framework property: {@code false} leaves the JVM's lifetime to whoever embeds the framework
     * (the bnd tester does, and exits the JVM itself when the tests are done).
     */
    static final String SHUTDOWN_HOOK_PROPERTY = "openhall.shutdown.hook";

    /** How long SIGTERM waits for the bundles to stop before the JVM exits anyway. */
    static final long STOP_TIMEOUT_MS = 5_000;

    private ServiceRegistration<HallHome> registration;
    private Thread shutdownHook;

    @Override
    public void start(BundleContext context) throws BundleException {
        HomeLayout layout = HomeLayout.resolve(context::getProperty, System::getenv, Path.of(""));
        try {
            layout.createFolders();
        } catch (IOException e) {
            LOG.error("Cannot create the folders of the hall home {}: {}", layout.home(), e.toString());
            throw new BundleException("Cannot prepare the hall home " + layout.home(), e);
        }
        System.setProperty(HallHome.HOME_PROPERTY, layout.home().toString());
        registration = context.registerService(HallHome.class, layout, null);
        if (!"false".equalsIgnoreCase(context.getProperty(SHUTDOWN_HOOK_PROPERTY))) {
            shutdownHook = new Thread(() -> stopFramework(context), "openhall-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        LOG.info("Hall home {} (configuration {}, drop-in {}, data {})",
                layout.home(), layout.etc(), layout.deploy(), layout.data());
        LOG.info("JVM {}: max heap {} MiB, options {}", Runtime.version(),
                Runtime.getRuntime().maxMemory() >> 20, jvmOptions());
    }

    /**
     * The JVM's -X options (heap, GC, exit on OutOfMemoryError), so that the log says what a hall
     * runs with (docs/operations.md). Read from the process's command line, which is cheaper at
     * start than the management beans; -D options are left out, they may carry passwords.
     */
    static String jvmOptions() {
        String[] args = ProcessHandle.current().info().arguments().orElse(new String[0]);
        StringBuilder sb = new StringBuilder();
        for (String a : args) {
            if (a.equals("-jar") || a.equals("-cp") || a.equals("-classpath")) {
                break; // what follows belongs to the application
            }
            if (a.startsWith("-X")) {
                sb.append(sb.length() == 0 ? "" : " ").append(a);
            }
        }
        return sb.length() == 0 ? "(none)" : sb.toString();
    }

    private static void stopFramework(BundleContext context) {
        Framework framework = (Framework) context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        try {
            LOG.info("OpenHall stopping (signal)");
            framework.stop();
            FrameworkEvent event = framework.waitForStop(STOP_TIMEOUT_MS);
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                LOG.warn("Bundles did not stop within {} ms; exiting anyway", STOP_TIMEOUT_MS);
            }
        } catch (BundleException | InterruptedException | IllegalStateException e) {
            LOG.warn("Orderly stop failed: {}", e.toString());
        }
    }

    @Override
    public void stop(BundleContext context) {
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shutdownInProgress) {
                // the JVM is exiting and the hook is (or was) running: nothing to undo
            }
        }
        shutdownHook = null;
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        // Bundles stop in reverse start-level order: when this one stops, every hall bundle
        // (start level 10 and above) has already stopped.
        LOG.info("OpenHall stopped");
    }
}
