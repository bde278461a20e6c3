package org.openhall.systemd.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.openhall.api.runtime.HallReady;
import org.openhall.api.runtime.Health;
import org.openhall.api.runtime.HealthCheck;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Speaks systemd's notify protocol (sd_notify(3)) for {@code Type=notify} with {@code WatchdogSec}:
 * {@code READY=1} once the hall is ready ({@link HallReady} is registered right after the line
 * {@code OpenHall READY in N ms}), {@code WATCHDOG=1} every {@code WATCHDOG_USEC}/2 while every
 * {@link HealthCheck} is healthy and the required ones (the queue core's) are there, and
 * {@code STOPPING=1} when the hall stops. A hall whose journal hangs stops feeding the watchdog,
 * and systemd kills and restarts it.
 *
 * <p>Before READY the watchdog is fed unconditionally: systemd runs it from the start, and a
 * start that hangs is what {@code TimeoutStartSec} is for.
 *
 * <p>Does nothing, and starts no thread, when {@code NOTIFY_SOCKET} is not set (not under systemd).
 * Everything is sent from one thread of its own; activation only starts it.
 */
@Component(immediate = true, configurationPid = SystemdNotifier.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SystemdNotifier.Config.class)
public final class SystemdNotifier {

    static final String PID = "org.openhall.systemd";

    @ObjectClassDefinition(id = PID, name = "OpenHall systemd notifier",
            description = "READY=1, WATCHDOG=1 and STOPPING=1 to systemd (Type=notify); nothing outside systemd.")
    public @interface Config {
        @AttributeDefinition(description = "Health checks (openhall.health.name) that must be there and healthy to feed the watchdog.")
        String[] requiredChecks() default {"queue"};

        @AttributeDefinition(description = "How long a health check may take, in ms; at most half the ping interval is used.")
        long checkBoundMillis() default 5000;
    }

    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotifier.class);

    private final String notifySocket;
    private final long pingMicros;
    private final Duration bound;
    private final List<String> required;
    private final Map<HealthCheck, String> checks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread;
    private volatile boolean ready;
    private volatile boolean healthy = true;
    private volatile NotifySocket socket; // opened on the notifier thread
    private final BooleanSupplier frameworkStopping;
    private boolean stoppingSent; // notifier thread only

    @Activate
    public SystemdNotifier(BundleContext context, Config config) {
        this(System.getenv(), ProcessHandle.current().pid(), config,
                () -> context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).getState() == Bundle.STOPPING);
    }

    SystemdNotifier(Map<String, String> env, long pid, Config config, BooleanSupplier frameworkStopping) {
        this.frameworkStopping = frameworkStopping;
        this.notifySocket = env.get("NOTIFY_SOCKET");
        this.required = List.of(config.requiredChecks());
        long watchdogMicros = watchdogMicros(env, pid);
        this.pingMicros = watchdogMicros / 2;
        this.bound = Duration.ofMillis(Math.max(1, Math.min(config.checkBoundMillis(), pingMicros / 2000)));
        if (notifySocket == null || notifySocket.isEmpty()) {
            LOG.debug("NOTIFY_SOCKET is not set: not under systemd, nothing to notify");
            thread = null;
            return;
        }
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "systemd-notify");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        thread = t;
        thread.execute(this::open);
        if (pingMicros > 0) {
            LOG.info("systemd watchdog: WATCHDOG=1 every {} ms while healthy (checks {} within {} ms)",
                    pingMicros / 1000, required, bound.toMillis());
            thread.scheduleWithFixedDelay(this::watchdog, 0, pingMicros, TimeUnit.MICROSECONDS);
        }
    }

    /** {@code WATCHDOG_USEC}, if the watchdog is meant for this process ({@code WATCHDOG_PID}); else 0. */
    static long watchdogMicros(Map<String, String> env, long pid) {
        String usec = env.get("WATCHDOG_USEC");
        if (usec == null) {
            return 0;
        }
        String forPid = env.get("WATCHDOG_PID");
        try {
            if (forPid != null && Long.parseLong(forPid.trim()) != pid) {
                return 0;
            }
            long micros = Long.parseLong(usec.trim());
            return micros > 0 ? micros : 0;
        } catch (NumberFormatException e) {
            LOG.warn("WATCHDOG_USEC '{}' / WATCHDOG_PID '{}' are not numbers: the watchdog is not fed", usec, forPid);
            return 0;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindReady(HallReady hallReady) {
        long millis = hallReady.startupMillis();
        if (thread != null) {
            thread.execute(() -> {
                if (send("READY=1\nSTATUS=OpenHall READY in " + millis + " ms")) {
                    LOG.info("systemd notified: READY=1");
                }
                ready = true;
            });
        }
    }

    void unbindReady(HallReady hallReady) {
        // The hall is going down (its boot bundle stops): STOPPING=1 follows on deactivation.
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCheck(HealthCheck check, Map<String, Object> properties) {
        checks.put(check, String.valueOf(properties.getOrDefault(HealthCheck.NAME_PROPERTY, "unnamed")));
    }

    void unbindCheck(HealthCheck check) {
        checks.remove(check);
    }

    private void open() {
        try {
            socket = NotifySocket.open(notifySocket);
        } catch (IOException | RuntimeException | LinkageError e) {
            // A broken notify socket must not keep the hall from running; without READY=1 systemd's
            // start timeout will say so.
            LOG.error("Cannot open the systemd notification socket {}: {}", notifySocket, e.toString());
        }
    }

    /** Notifier thread, every {@code WATCHDOG_USEC}/2. */
    private void watchdog() {
        try {
            if (frameworkStopping.getAsBoolean()) {
                // The hall stops: its parts go away one by one, which is no hang. systemd's stop
                // timeout watches the rest.
                if (!stoppingSent) {
                    stoppingSent = send("STOPPING=1");
                }
                return;
            }
            Health health = ready ? checkAll() : Health.up("starting");
            if (health.healthy()) {
                send("WATCHDOG=1");
                if (!healthy) {
                    healthy = true;
                    LOG.warn("Healthy again ({}): feeding the systemd watchdog again", health.detail());
                    send("STATUS=OpenHall healthy again");
                }
            } else if (healthy) {
                healthy = false;
                LOG.error("Unhealthy, the systemd watchdog is no longer fed (systemd restarts the hall): {}", health.detail());
                send("STATUS=OpenHall unhealthy: " + health.detail());
            }
        } catch (RuntimeException e) {
            LOG.error("The watchdog check failed unexpectedly; not fed this time", e);
        }
    }

    private Health checkAll() {
        List<String> missing = new ArrayList<>(required);
        missing.removeAll(checks.values());
        if (!missing.isEmpty()) {
            return Health.down("no health check " + missing + " registered (is the queue core running?)");
        }
        for (Map.Entry<HealthCheck, String> c : checks.entrySet()) {
            Health h;
            try {
                h = c.getKey().check(bound);
            } catch (RuntimeException e) {
                h = Health.down(e.toString());
            }
            if (!h.healthy()) {
                return Health.down(c.getValue() + ": " + h.detail());
            }
        }
        return Health.up(checks.size() + " health checks healthy");
    }

    private boolean send(String message) {
        NotifySocket s = socket;
        if (s == null) {
            return false;
        }
        try {
            s.send(message);
            return true;
        } catch (IOException e) {
            LOG.warn("systemd notification '{}' not sent: {}", message.lines().findFirst().orElse(""), e.getMessage());
            return false;
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (thread == null) {
            return;
        }
        thread.execute(() -> {
            // Only for the hall as a whole: this bundle alone stopping (an update) is no stop of the
            // service; systemd's watchdog then sees whether it comes back.
            if (!stoppingSent && frameworkStopping.getAsBoolean()) {
                stoppingSent = send("STOPPING=1");
            }
        });
        thread.shutdown(); // the periodic watchdog ends; STOPPING=1 is still sent
        if (!thread.awaitTermination(bound.toMillis() + 2_000, TimeUnit.MILLISECONDS)) {
            thread.shutdownNow();
            thread.awaitTermination(2, TimeUnit.SECONDS);
        }
        NotifySocket s = socket;
        if (s != null) {
            s.close();
        }
    }
}
