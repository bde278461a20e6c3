package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.device.Kiosk;
import org.openhall.api.device.KioskIssue;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.Alert;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.openhall.api.runtime.HallHome;
import org.openhall.itests.rollback.Nobody;
import org.openhall.itests.rollback.RollbackGate;
import org.openhall.itests.rollback.RollbackKiosk;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Automatic roll-back of deploy/ (issue 16, "Update safely"). A policy bundle and a device bundle
 * (DS components assembled here from the test's class files) are dropped into deploy/ in a good
 * version 1.0.0, then replaced by broken versions: a policy whose component has a reference nobody
 * satisfies, a policy that imports a package nobody exports (it does not resolve), a kiosk whose
 * activation throws. All the while two MQTT kiosks issue tickets over the embedded broker and the
 * test issues directly. Each broken version is rolled back to 1.0.0 (the jar in deploy/ is the good
 * one again), the log names the file and the reason, the alert {@code deploy:<file>}
 * (DEPLOY_ROLLED_BACK) arrives over MQTT, the old behaviour is back, and no operation failed.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class DeployRollbackTest {

    static final String ROOT = EmbeddedBrokerTest.ROOT;
    static final String POLICY = "org.openhall.itests.rollback.policy";
    static final String DEVICE = "org.openhall.itests.rollback.device";
    static final String POLICY_JAR = "rollback-policy.jar";
    static final String DEVICE_JAR = "rollback-device.jar";
    static final int MQTT_KIOSKS = 2;
    static final long PACE_NANOS = 150_000_000;

    @InjectBundleContext
    static BundleContext context;

    @InjectService(timeout = 30_000)
    static HallHome home;

    @InjectService(timeout = 30_000)
    static HallQueue queue;

    @InjectService
    static ConfigurationAdmin configAdmin;

    static Path brokerCfg;
    static String originalBrokerCfg;
    static Path connectionCfg;
    static Path watchCfg;
    static int port;
    static MqttWatcher screen;

    @BeforeAll
    static void start() throws Exception {
        port = EmbeddedBrokerTest.freePort();
        brokerCfg = home.etc().resolve("org.openhall.mqtt.broker.cfg");
        originalBrokerCfg = Files.exists(brokerCfg) ? Files.readString(brokerCfg) : null;
        EmbeddedBrokerTest.write(brokerCfg, String.join("\n", "enabled = true", "host = 127.0.0.1", "port = " + port,
                "websocketPort = " + EmbeddedBrokerTest.freePort(),
                "users = " + EmbeddedBrokerTest.USER + ":" + EmbeddedBrokerTest.hash(EmbeddedBrokerTest.PASSWORD) + ", "
                        + EmbeddedBrokerTest.HALL_USER + ":" + EmbeddedBrokerTest.hash(EmbeddedBrokerTest.HALL_PASSWORD),
                "hallUsers = " + EmbeddedBrokerTest.HALL_USER, ""));
        connectionCfg = home.etc().resolve("org.openhall.mqtt.connection-rollback.cfg");
        EmbeddedBrokerTest.write(connectionCfg, String.join("\n", "uri = tcp://127.0.0.1:" + port, "acceptsCommands = true",
                "username = " + EmbeddedBrokerTest.HALL_USER, "password = " + EmbeddedBrokerTest.HALL_PASSWORD,
                "backoff.initialMillis = 100", "backoff.maxMillis = 500", ""));
        watchCfg = home.etc().resolve("org.openhall.deploywatch.cfg");
        EmbeddedBrokerTest.write(watchCfg, "settleSeconds = 3\n");
        Poll.until("org.openhall.deploywatch in Config Admin", () -> {
            try {
                Configuration[] c = configAdmin.listConfigurations("(&(service.pid=org.openhall.deploywatch)(settleSeconds=3))");
                return c != null;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        screen = Poll.until("a subscription to the embedded broker", Poll.DEFAULT, () -> {
            try {
                return Optional.of(new MqttWatcher("tcp://127.0.0.1:" + port, "itest-rollback-screen", ROOT + "/#", false,
                        EmbeddedBrokerTest.USER, EmbeddedBrokerTest.PASSWORD));
            } catch (Exception notYet) {
                return Optional.empty();
            }
        });
        Poll.until("the bridge's status on the embedded broker", () -> screen.on("/status").stream()
                .anyMatch(r -> r.payload().contains("\"rollback\":\"connected\"")));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            Files.deleteIfExists(home.deploy().resolve(POLICY_JAR));
            Files.deleteIfExists(home.deploy().resolve(DEVICE_JAR));
            Poll.until("the roll-back test bundles uninstalled", () -> find(POLICY).isEmpty() && find(DEVICE).isEmpty());
            for (String file : List.of(POLICY_JAR, DEVICE_JAR)) {
                queue.clearAlert(Request.by(Actor.system("itest")), "deploy:" + file);
            }
            Files.deleteIfExists(watchCfg);
            Files.deleteIfExists(connectionCfg);
            if (originalBrokerCfg != null) {
                EmbeddedBrokerTest.write(brokerCfg, originalBrokerCfg);
            } else {
                Files.deleteIfExists(brokerCfg);
            }
            QueueCoreTest helper = new QueueCoreTest();
            helper.queue = queue;
            helper.drainAll();
        } finally {
            if (screen != null) {
                screen.close();
            }
        }
    }

    final AtomicBoolean running = new AtomicBoolean(true);
    /** requestId → the reply's payload, null until it arrived. */
    final Map<String, String> sent = new ConcurrentHashMap<>();
    final List<String> direct = new ArrayList<>();

    @Test
    void brokenPolicyAndDeviceVersionsAreRolledBackWhileTheQueueKeepsServing() throws Exception {
        Path policyJar = home.deploy().resolve(POLICY_JAR);
        Path deviceJar = home.deploy().resolve(DEVICE_JAR);
        Path log = home.data().resolve("logs/openhall.log");
        ServiceTracker<Kiosk, Kiosk> kiosks = new ServiceTracker<>(context,
                FrameworkUtil.createFilter("(&(objectClass=" + Kiosk.class.getName() + ")(" + Kiosk.KIOSK_ID + "=rollback-kiosk))"),
                null);
        kiosks.open();
        ExecutorService pool = Executors.newFixedThreadPool(MQTT_KIOSKS);
        List<Future<?>> load = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            for (int k = 0; k < MQTT_KIOSKS; k++) {
                int id = k;
                load.add(pool.submit(() -> mqttKiosk(id)));
            }

            // The good policy: no green channel.
            byte[] policyV1 = policy("1.0.0", false, false);
            drop(policyJar, policyV1);
            awaitActive(POLICY, "1.0.0");
            Poll.until("the good policy in force", () -> issueGreen() == PriorityClass.NORMAL);
            Poll.until("the good policy kept as the last good version", () -> kept(POLICY_JAR, policyV1));

            // Broken: its component's reference is never satisfied, so the policy is gone.
            drop(policyJar, policy("2.0.0", true, false));
            awaitActive(POLICY, "2.0.0");
            long brokenAt = System.nanoTime();
            Alert alert = awaitRollback(POLICY, policyJar, policyV1);
            System.out.printf("roll-back of an unsatisfied policy: %d ms after it started%n",
                    (System.nanoTime() - brokenAt) / 1_000_000);
            assertEquals("DEPLOY_ROLLED_BACK", alert.kind());
            assertTrue(alert.text().contains(POLICY_JAR) && alert.text().contains("unsatisfied reference nobody"), alert.text());
            Poll.until("the old policy behaviour back", () -> issueGreen() == PriorityClass.NORMAL);
            Poll.until("the log names file and reason", () -> logHas(log, POLICY_JAR, "unsatisfied reference nobody"));
            Poll.until("the roll-back alert over MQTT", () -> screen.all().stream().anyMatch(r -> r.payload()
                    .contains("\"alertId\":\"deploy:" + POLICY_JAR + "\"") && r.payload().contains("DEPLOY_ROLLED_BACK")));

            // Broken: imports a package nobody exports, so it does not resolve.
            int alertsBefore = alertMessages(POLICY_JAR);
            drop(policyJar, policy("3.0.0", false, true));
            Poll.until(POLICY + " 3.0.0 installed", () -> find(POLICY).filter(b -> b.getVersion().equals(Version.parseVersion("3.0.0"))).isPresent());
            awaitRollback(POLICY, policyJar, policyV1);
            Poll.until("the old policy behaviour back", () -> issueGreen() == PriorityClass.NORMAL);
            Poll.until("the log names file and reason", () -> logHas(log, POLICY_JAR, "not resolved"));
            Poll.until("the second roll-back alert over MQTT", () -> alertMessages(POLICY_JAR) > alertsBefore);

            // The good device: a kiosk that says it is version 1.
            byte[] deviceV1 = device("1.0.0", false);
            drop(deviceJar, deviceV1);
            awaitActive(DEVICE, "1.0.0");
            assertEquals("v1.0.0", kioskIssue(kiosks).notice());
            Poll.until("the good device kept as the last good version", () -> kept(DEVICE_JAR, deviceV1));

            // Broken: its activation throws, so the kiosk is gone.
            drop(deviceJar, device("2.0.0", true));
            awaitActive(DEVICE, "2.0.0");
            Alert deviceAlert = awaitRollback(DEVICE, deviceJar, deviceV1);
            assertTrue(deviceAlert.text().contains("activation failed"), deviceAlert.text());
            assertEquals("v1.0.0", kioskIssue(kiosks).notice(), "the old kiosk is back");
            Poll.until("the log names file and reason", () -> logHas(log, DEVICE_JAR, "activation failed"));
            Poll.until("the device roll-back alert over MQTT", () -> alertMessages(DEVICE_JAR) > 0);
        } finally {
            running.set(false);
            pool.shutdown();
            pool.awaitTermination(30, TimeUnit.SECONDS);
            kiosks.close();
        }
        for (Future<?> f : load) {
            f.get(); // rethrows a failed publish
        }
        Poll.until("a reply to every MQTT command", Poll.DEFAULT, () -> sent.values().stream().allMatch(r -> r != null)
                ? Optional.of(true) : Optional.empty(), () -> sent.size() + " sent");
        for (Map.Entry<String, String> e : sent.entrySet()) {
            assertTrue(e.getValue().contains("\"ok\":true"), () -> "command " + e.getKey() + " failed: " + e.getValue());
        }
        System.out.printf("deploy roll-back under load: %d MQTT commands and %d direct issues in %d s, none failed%n",
                sent.size(), direct.size(), (System.nanoTime() - t0) / 1_000_000_000);
        assertTrue(sent.size() >= 20, "the MQTT kiosks issued throughout: " + sent.size());
    }

    /** One MQTT kiosk: paced issue-ticket commands until the test ends; every reply is checked at the end. */
    private Void mqttKiosk(int id) throws Exception {
        String client = "itest-rollback-kiosk-" + id;
        try (MqttWatcher kiosk = new MqttWatcher("tcp://127.0.0.1:" + port, client, ROOT + "/replies/" + client, false,
                EmbeddedBrokerTest.USER, EmbeddedBrokerTest.PASSWORD)) {
            while (running.get()) {
                String requestId = UUID.randomUUID().toString();
                sent.put(requestId, "");
                kiosk.publish(ROOT + "/commands/issue-ticket", "{\"requestId\":\"" + requestId + "\",\"clientId\":\""
                        + client + "\",\"category\":\"" + (id == 0 ? "A" : "C") + "\",\"priority\":\"GREEN_CHANNEL\"}");
                LockSupport.parkNanos(PACE_NANOS);
                collect(kiosk);
            }
            Poll.until(client + "'s replies", () -> {
                collect(kiosk);
                return sent.entrySet().stream().noneMatch(e -> e.getValue().isEmpty());
            });
        }
        return null;
    }

    private void collect(MqttWatcher kiosk) {
        for (MqttWatcher.Received r : kiosk.all()) {
            for (String requestId : sent.keySet()) {
                if (r.payload().contains(requestId)) {
                    sent.put(requestId, r.payload());
                }
            }
        }
    }

    private PriorityClass issueGreen() {
        Result<IssuedTicket> r = queue.issueTicket(Request.by(Actor.device("itest-rollback-probe"),
                UUID.randomUUID().toString()), "B", PriorityClass.GREEN_CHANNEL, null);
        if (!r.isOk()) {
            throw new AssertionError("issuing failed during the roll-back test: " + r.error());
        }
        synchronized (direct) {
            direct.add(r.value().ticket().number());
        }
        return r.value().ticket().priority();
    }

    private KioskIssue kioskIssue(ServiceTracker<Kiosk, Kiosk> kiosks) {
        return Poll.until("a ticket from the roll-back kiosk", Poll.DEFAULT, () -> {
            Kiosk k = kiosks.getService();
            if (k == null) {
                return Optional.empty();
            }
            KioskIssue r = k.issue(Request.by(Actor.device("rollback-kiosk"), UUID.randomUUID().toString()), "B",
                    PriorityClass.NORMAL);
            if (!r.ticket().isOk()) {
                throw new AssertionError("the kiosk's ticket failed: " + r.ticket().error());
            }
            return Optional.of(r);
        });
    }

    /** Waits for the alert, then for the previous version back: active, and its jar in deploy/ again. */
    private Alert awaitRollback(String bsn, Path jar, byte[] good) {
        String file = jar.getFileName().toString();
        Alert alert = Poll.until("the roll-back alert of " + file, Duration.ofSeconds(60), () -> queue.snapshot().alerts()
                .stream().filter(a -> a.id().equals("deploy:" + file)).findFirst());
        awaitActive(bsn, "1.0.0");
        Poll.until("the good jar back in deploy/", () -> {
            try {
                return Files.exists(jar) && java.util.Arrays.equals(Files.readAllBytes(jar), good);
            } catch (IOException e) {
                return false;
            }
        });
        assertTrue(Files.exists(home.data().resolve("deploy-rejected").resolve(file)), "the broken jar is kept for diagnosis");
        return alert;
    }

    private int alertMessages(String file) {
        return (int) screen.all().stream().filter(r -> r.payload().contains("\"alertId\":\"deploy:" + file + "\"")
                && r.payload().contains("alert.raised")).count();
    }

    private boolean kept(String file, byte[] content) {
        try {
            Path k = home.data().resolve("deploy-previous").resolve(file);
            return Files.exists(k) && java.util.Arrays.equals(Files.readAllBytes(k), content);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean logHas(Path log, String file, String reason) {
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.anyMatch(l -> l.contains("Deployed " + file) && l.contains(reason) && l.contains("rolling back"));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    private static Bundle awaitActive(String bsn, String version) {
        Version v = Version.parseVersion(version);
        return Poll.until(bsn + " " + v + " ACTIVE", Poll.DEFAULT,
                () -> find(bsn).filter(b -> b.getState() == Bundle.ACTIVE && b.getVersion().equals(v)));
    }

    private static Optional<Bundle> find(String bsn) {
        return Stream.of(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst();
    }

    private static void drop(Path target, byte[] content) throws IOException {
        Path part = target.resolveSibling("." + target.getFileName() + ".part");
        Files.write(part, content);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The policy bundle: one DS component, the gate; broken by a reference nobody satisfies or an import nobody exports. */
    static byte[] policy(String version, boolean unsatisfied, boolean unresolvable) throws IOException {
        String reference = unsatisfied
                ? "  <reference name=\"nobody\" interface=\"" + Nobody.class.getName() + "\"/>\n"
                : "";
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"rollback.policy\" immediate=\"true\">\n"
                + "  <implementation class=\"" + RollbackGate.class.getName() + "\"/>\n"
                + "  <service><provide interface=\"org.openhall.api.policy.IssueGate\"/></service>\n"
                + reference + "</scr:component>\n";
        String imports = "org.openhall.api.policy;version=\"[1.1,2)\",org.openhall.api.queue;version=\"[1.1,2)\""
                + (unresolvable ? ",org.openhall.itests.nonexistent;version=\"[1,2)\"" : "");
        return bundle(POLICY, version, imports, xml, List.of(RollbackGate.class, Nobody.class));
    }

    /** The device bundle: one DS component, the kiosk; broken by an activation that throws. */
    static byte[] device(String version, boolean failing) throws IOException {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"rollback.kiosk\" immediate=\"true\" activate=\"activate\">\n"
                + "  <implementation class=\"" + RollbackKiosk.class.getName() + "\"/>\n"
                + "  <service><provide interface=\"org.openhall.api.device.Kiosk\"/></service>\n"
                + "  <property name=\"kiosk.id\" value=\"rollback-kiosk\"/>\n"
                + "  <property name=\"notice\" value=\"v" + version + "\"/>\n"
                + "  <property name=\"fail\" value=\"" + failing + "\"/>\n"
                + "  <reference name=\"queue\" interface=\"org.openhall.api.queue.HallQueue\" bind=\"setQueue\"/>\n"
                + "</scr:component>\n";
        String imports = "org.openhall.api.device;version=\"[1.2,1.3)\",org.openhall.api.queue;version=\"[1.1,2)\"";
        return bundle(DEVICE, version, imports, xml, List.of(RollbackKiosk.class));
    }

    private static byte[] bundle(String bsn, String version, String imports, String xml, List<Class<?>> classes)
            throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", bsn);
        main.putValue("Bundle-Version", version);
        main.putValue("Import-Package", imports);
        main.putValue("Service-Component", "OSGI-INF/component.xml");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            out.putNextEntry(new JarEntry("OSGI-INF/component.xml"));
            out.write(xml.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            for (Class<?> c : classes) {
                String entry = c.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(entry));
                try (InputStream in = DeployRollbackTest.class.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    static {
        // referenced so that the compiler keeps the helpers' imports honest
        assertArrayEquals(new byte[0], new byte[0]);
    }
}
