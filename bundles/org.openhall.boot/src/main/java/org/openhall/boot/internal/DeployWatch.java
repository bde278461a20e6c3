package org.openhall.boot.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.Alert;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.openhall.api.runtime.HallHome;
import org.openhall.api.runtime.Health;
import org.openhall.api.runtime.HealthCheck;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic roll-back of bundles dropped into {@code deploy/}. Every bundle that FileInstall
 * installs or updates from {@code deploy/} is on probation for {@code settleSeconds}: at the end of
 * it the bundle must be ACTIVE, every enabled DS component of it must have a configuration that
 * is ACTIVE or SATISFIED (a component that takes a configuration nobody gave it does not count),
 * and every {@link HealthCheck} of the hall must be healthy. A bundle that passes is the last good
 * version: its jar is kept in {@code data/deploy-previous/}. A bundle that fails is rolled back:
 * the broken jar goes to {@code data/deploy-rejected/}, the kept jar is put back into
 * {@code deploy/} (written beside it and renamed, so that FileInstall reads whole files only) and
 * FileInstall updates the bundle from it; if FileInstall does not within a bound, the bundle is
 * updated from the kept jar directly. A new bundle without a previous version is taken out of
 * {@code deploy/} (FileInstall uninstalls it). Each roll-back is logged with file, bundle and
 * reason and raises the alert {@code deploy:<file>} (kind {@value #ALERT_KIND}), which the MQTT
 * bridge publishes like every alert; the next version of that file that passes clears it.
 *
 * <p>A roll-back is judged like any update, but a roll-back that fails is only reported, never
 * rolled back again: no loops. The same holds at start: FileInstall installs every jar of
 * {@code deploy/} afresh (the framework cache is wiped), and each one goes on probation; a jar
 * that FileInstall cannot install at all (a file torn by a power cut during a copy) is replaced by
 * its kept version.
 */
@Component(configurationPid = DeployWatch.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = DeployWatch.Ocd.class)
public final class DeployWatch {

    static final String PID = "org.openhall.deploywatch";
    static final String ALERT_KIND = "DEPLOY_ROLLED_BACK";
    static final String ALERT_PREFIX = "deploy:";
    static final Actor ACTOR = Actor.system("deploywatch");
    static final String KEPT_DIR = "deploy-previous";
    static final String REJECTED_DIR = "deploy-rejected";
    static final long POLL_MS = 250;
    /** How long FileInstall may take to apply a restored jar before the bundle is updated directly. */
    static final long FILEINSTALL_BOUND_MS = 10_000;

    @ObjectClassDefinition(id = PID, name = "OpenHall deploy roll-back",
            description = "Rolls back a bundle dropped into deploy/ that does not work (etc/org.openhall.deploywatch.cfg)")
    @interface Ocd {
        @AttributeDefinition(description = "Seconds a bundle from deploy/ has to be active with every component satisfied and every health check healthy")
        long settleSeconds() default DEFAULT_SETTLE_SECONDS;

        @AttributeDefinition(description = "Whether a failing bundle is rolled back (false: only logged and reported)")
        boolean rollBack() default true;

        @AttributeDefinition(description = "The alert's text; {file} is the jar, {reason} why it was rolled back")
        String text() default DEFAULT_TEXT;
    }

    static final long DEFAULT_SETTLE_SECONDS = 20;
    static final String DEFAULT_TEXT = "部署的组件 {file} 无法正常运行,已自动恢复为上一版本:{reason}";

    record Settings(long settleMillis, boolean rollBack, String text) {
        static Settings parse(Map<String, ?> properties) throws ConfigProblem {
            ConfigReader r = new ConfigReader(properties);
            long seconds = r.longInteger("settleSeconds", DEFAULT_SETTLE_SECONDS, 1, 3_600);
            String rb = r.optional("rollBack", "true").trim();
            if (!rb.equals("true") && !rb.equals("false")) {
                throw new ConfigProblem("rollBack", "neither true nor false: " + rb);
            }
            String text = r.optional("text", DEFAULT_TEXT);
            if (text.length() > 300) {
                throw new ConfigProblem("text", "longer than 300 characters");
            }
            return new Settings(seconds * 1000, Boolean.parseBoolean(rb), text);
        }
    }

    /** One bundle on probation. */
    private static final class Probation {
        final long bundleId;
        final String file;
        final long deadline;
        final boolean restoring;
        final Path candidate;

        Probation(long bundleId, String file, long deadline, boolean restoring, Path candidate) {
            this.bundleId = bundleId;
            this.file = file;
            this.deadline = deadline;
            this.restoring = restoring;
            this.candidate = candidate;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeployWatch.class);

    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    private final Path deploy;
    private final Path kept;
    private final Path rejected;
    private final ScheduledExecutorService timer;
    private final BundleListener listener = this::bundleChanged;
    private volatile Settings settings = new Settings(DEFAULT_SETTLE_SECONDS * 1000, true, DEFAULT_TEXT);
    /** By file name; touched on the timer thread only. */
    private final Map<String, Probation> probations = new HashMap<>();
    /** Files being restored: the next install/update of that file is the roll-back itself. */
    private final Map<String, Boolean> restoring = new ConcurrentHashMap<>();
    private ScheduledFuture<?> poller;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile HallQueue queue;

    private final List<HealthCheck> checks = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addCheck(HealthCheck check) {
        checks.add(check);
    }

    void removeCheck(HealthCheck check) {
        checks.remove(check);
    }

    @Activate
    public DeployWatch(BundleContext context, @Reference ServiceComponentRuntime scr, @Reference HallHome home,
            Map<String, Object> properties) {
        this.context = context;
        this.scr = scr;
        this.deploy = home.deploy().toAbsolutePath().normalize();
        this.kept = home.data().resolve(KEPT_DIR).toAbsolutePath().normalize();
        this.rejected = home.data().resolve(REJECTED_DIR).toAbsolutePath().normalize();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "openhall-deploywatch");
            t.setDaemon(true);
            return t;
        });
        configure(properties);
        context.addBundleListener(listener);
        timer.execute(this::startUp);
        poller = timer.scheduleWithFixedDelay(this::judgeDue, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties);
    }

    private void configure(Map<String, Object> properties) {
        try {
            settings = Settings.parse(properties);
        } catch (ConfigProblem p) {
            LOG.error("Rejected configuration {}: key '{}': {}; the last good one stays in force",
                    ConfigReader.source(properties), p.key(), p.reason());
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        context.removeBundleListener(listener);
        if (poller != null) {
            poller.cancel(false);
        }
        timer.shutdownNow();
        timer.awaitTermination(2, TimeUnit.SECONDS);
    }

    /** The file in deploy/ a bundle came from, or null when it did not come from deploy/. */
    String deployFile(String location) {
        if (location == null || !location.startsWith("file:")) {
            return null;
        }
        try {
            Path p = Paths.get(URI.create(location)).toAbsolutePath().normalize();
            return deploy.equals(p.getParent()) ? p.getFileName().toString() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void bundleChanged(BundleEvent event) {
        int type = event.getType();
        if (type != BundleEvent.INSTALLED && type != BundleEvent.UPDATED) {
            return;
        }
        Bundle bundle = event.getBundle();
        String file = deployFile(bundle.getLocation());
        if (file == null) {
            return;
        }
        try {
            timer.execute(() -> startProbation(bundle, file));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // deactivated meanwhile
        }
    }

    /** On the timer thread: the start of the hall, when FileInstall may have installed (or not) the jars of deploy/. */
    private void startUp() {
        try {
            Files.createDirectories(kept);
            Files.createDirectories(rejected);
            removeLeftovers(kept);
            removeLeftovers(deploy);
            for (Bundle b : context.getBundles()) {
                String file = deployFile(b.getLocation());
                if (file != null && !probations.containsKey(file)) {
                    startProbation(b, file);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Deploy watch could not prepare {}: {}", kept, e.toString());
        }
        // Jars that FileInstall could not install at all get their checks after one probation time.
        timer.schedule(this::restoreUninstallable, settings.settleMillis(), TimeUnit.MILLISECONDS);
    }

    /** Temporary files of a write that a power cut interrupted: never read, removed at start. */
    private static void removeLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".*.deploywatch-part")) {
            for (Path p : s) {
                LOG.warn("Removed {}, left behind by an interrupted write", p);
                Files.deleteIfExists(p);
            }
        }
    }

    private void startProbation(Bundle bundle, String file) {
        boolean isRestore = restoring.remove(file) != null;
        Path candidate = null;
        if (!isRestore) {
            // What FileInstall read: copied now, kept once it proves good.
            candidate = kept.resolve("." + file + ".candidate.deploywatch-part");
            try {
                Files.createDirectories(kept);
                Files.copy(deploy.resolve(file), candidate, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                LOG.warn("Deploy watch could not copy {} for keeping: {}", file, e.toString());
                candidate = null;
            }
        }
        probations.put(file, new Probation(bundle.getBundleId(), file,
                System.currentTimeMillis() + settings.settleMillis(), isRestore, candidate));
        LOG.info("Deployed {} ({} {}): on probation for {} s", file, bundle.getSymbolicName(), bundle.getVersion(),
                settings.settleMillis() / 1000);
    }

    private void judgeDue() {
        try {
            long now = System.currentTimeMillis();
            for (Probation p : new ArrayList<>(probations.values())) {
                if (now >= p.deadline) {
                    probations.remove(p.file);
                    judge(p);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Deploy watch check failed: {}", e.toString());
        }
    }

    private void judge(Probation p) {
        Bundle bundle = context.getBundle(p.bundleId);
        if (bundle == null || bundle.getState() == Bundle.UNINSTALLED) {
            return; // removed from deploy/ meanwhile
        }
        String reason = failure(bundle);
        if (reason == null) {
            passed(p, bundle);
            return;
        }
        if (p.restoring) {
            LOG.error("Rolled back {} ({}), but the previous version does not work either: {}", p.file,
                    bundle.getSymbolicName(), reason);
            return;
        }
        if (!settings.rollBack()) {
            LOG.error("Deployed {} ({} {}) does not work: {}; roll-back is switched off", p.file,
                    bundle.getSymbolicName(), bundle.getVersion(), reason);
            raise(p.file, reason);
            return;
        }
        rollBack(p, bundle, reason);
    }

    /** Why the bundle does not work, or null when it does. */
    String failure(Bundle bundle) {
        boolean fragment = bundle.getHeaders("").get("Fragment-Host") != null;
        if (fragment) {
            if (bundle.getState() == Bundle.INSTALLED) {
                return "fragment not resolved";
            }
        } else if (bundle.getState() != Bundle.ACTIVE) {
            return bundle.getState() == Bundle.INSTALLED ? "not resolved (missing imports or requirements)"
                    : "not active (state " + state(bundle.getState()) + ")";
        }
        List<String> problems = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(bundle)) {
            if (!scr.isComponentEnabled(d)) {
                continue;
            }
            var configs = scr.getComponentConfigurationDTOs(d);
            if (configs.isEmpty()) {
                continue; // waits for a configuration nobody gave it: not a fault of the version
            }
            boolean usable = configs.stream().anyMatch(c -> c.state == ComponentConfigurationDTO.ACTIVE
                    || c.state == ComponentConfigurationDTO.SATISFIED);
            if (!usable) {
                problems.add("component " + d.name + ": " + RequiredComponents.reason(d, configs));
            }
        }
        for (HealthCheck check : checks) {
            try {
                Health h = check.check(Duration.ofSeconds(2));
                if (!h.healthy()) {
                    problems.add("health check unhealthy: " + h.detail());
                }
            } catch (RuntimeException e) {
                problems.add("health check failed: " + e);
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private static String state(int s) {
        return switch (s) {
        case Bundle.RESOLVED -> "RESOLVED";
        case Bundle.STARTING -> "STARTING";
        case Bundle.STOPPING -> "STOPPING";
        default -> Integer.toString(s);
        };
    }

    private void passed(Probation p, Bundle bundle) {
        if (p.candidate != null && Files.exists(p.candidate)) {
            try {
                Path target = kept.resolve(p.file);
                fsync(p.candidate);
                Files.move(p.candidate, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                fsync(kept);
            } catch (IOException e) {
                LOG.warn("Could not keep {} as the last good version: {}", p.file, e.toString());
            }
        }
        LOG.info("Deployed {} ({} {}) works{}", p.file, bundle.getSymbolicName(), bundle.getVersion(),
                p.restoring ? " again after the roll-back" : "; kept as the last good version");
        if (!p.restoring) {
            clear(p.file);
        }
    }

    private void rollBack(Probation p, Bundle bundle, String reason) {
        Path previous = kept.resolve(p.file);
        Path broken = deploy.resolve(p.file);
        try {
            Files.createDirectories(rejected);
            if (Files.exists(broken)) {
                Files.copy(broken, rejected.resolve(p.file), StandardCopyOption.REPLACE_EXISTING);
            }
            if (!Files.exists(previous)) {
                LOG.error("Deployed {} ({} {}) does not work: {}; there is no previous version, so it is taken out "
                        + "of deploy/ into {}", p.file, bundle.getSymbolicName(), bundle.getVersion(), reason, rejected);
                Files.deleteIfExists(broken);
                raise(p.file, reason);
                return;
            }
            LOG.error("Deployed {} ({} {}) does not work: {}; rolling back to the previous version (broken jar kept "
                    + "in {})", p.file, bundle.getSymbolicName(), bundle.getVersion(), reason, rejected);
            raise(p.file, reason);
            long modified = bundle.getLastModified();
            restoring.put(p.file, Boolean.TRUE);
            writeAtomically(previous, broken);
            timer.schedule(() -> ensureRestored(bundle, p.file, modified), FILEINSTALL_BOUND_MS, TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            restoring.remove(p.file);
            LOG.error("Roll-back of {} failed: {}", p.file, e.toString());
        }
    }

    /** FileInstall normally updates the bundle from the restored file; if it has not, do it here. */
    private void ensureRestored(Bundle bundle, String file, long modifiedBefore) {
        if (bundle.getState() == Bundle.UNINSTALLED || bundle.getLastModified() != modifiedBefore
                || !restoring.containsKey(file)) {
            return;
        }
        LOG.warn("FileInstall did not apply the restored {} within {} s: updating {} from it directly", file,
                FILEINSTALL_BOUND_MS / 1000, bundle.getSymbolicName());
        try (InputStream in = Files.newInputStream(kept.resolve(file))) {
            bundle.update(in);
            if (bundle.getState() != Bundle.ACTIVE) {
                bundle.start();
            }
        } catch (Exception e) {
            LOG.error("Direct roll-back of {} failed: {}", file, e.toString());
        }
    }

    /**
     * Jars in deploy/ that no bundle came from after a probation time at start: FileInstall could
     * not install them (a torn file), so the kept version goes back into their place.
     */
    private void restoreUninstallable() {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(deploy, "*.jar")) {
            List<String> installed = new ArrayList<>();
            for (Bundle b : context.getBundles()) {
                String f = deployFile(b.getLocation());
                if (f != null) {
                    installed.add(f);
                }
            }
            for (Path jar : s) {
                String file = jar.getFileName().toString();
                Path previous = kept.resolve(file);
                if (installed.contains(file) || !Files.exists(previous) || Files.mismatch(previous, jar) == -1L) {
                    continue;
                }
                String reason = "cannot be installed (a torn or damaged jar)";
                LOG.error("Deployed {} {}; restoring the previous version (damaged jar kept in {})", file, reason, rejected);
                Files.copy(jar, rejected.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                raise(file, reason);
                restoring.put(file, Boolean.TRUE);
                writeAtomically(previous, jar);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Deploy watch could not check {}: {}", deploy, e.toString());
        }
    }

    /** Copies source onto target so that a power cut leaves either the old or the new file, never half of one. */
    static void writeAtomically(Path source, Path target) throws IOException {
        Path part = target.resolveSibling("." + target.getFileName() + ".deploywatch-part");
        Files.copy(source, part, StandardCopyOption.REPLACE_EXISTING);
        fsync(part);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsync(target.getParent());
    }

    private static void fsync(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) {
                c.force(true);
            } catch (IOException e) {
                // some file systems cannot sync a directory; the rename is still atomic
            }
            return;
        }
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.WRITE)) {
            c.force(true);
        }
    }

    private void raise(String file, String reason) {
        HallQueue q = queue;
        if (q == null) {
            LOG.warn("No queue to raise the roll-back alert of {} on", file);
            return;
        }
        String text = settings.text().replace("{file}", file).replace("{reason}", reason);
        if (text.length() > Alert.MAX_TEXT) {
            text = text.substring(0, Alert.MAX_TEXT - 1) + "…";
        }
        Result<?> r = q.raiseAlert(Request.by(ACTOR), Alert.of(ALERT_PREFIX + file, ALERT_KIND, null, null, text));
        if (!r.isOk()) {
            LOG.warn("Roll-back alert of {} not raised: {}", file, r);
        }
    }

    private void clear(String file) {
        HallQueue q = queue;
        if (q != null) {
            q.clearAlert(Request.by(ACTOR), ALERT_PREFIX + file);
        }
    }
}
