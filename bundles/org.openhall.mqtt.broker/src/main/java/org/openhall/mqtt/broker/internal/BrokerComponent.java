package org.openhall.mqtt.broker.internal;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.api.runtime.HallHome;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.moquette.broker.OpenHallAccess;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * The embedded hall broker (Moquette), configured by {@code etc/org.openhall.mqtt.broker.cfg}:
 * MQTT on {@code port} and MQTT over WebSocket on {@code websocketPort}; anyone may connect and
 * subscribe; a client that gives a user name must give its password (checked against the
 * configured hash); only such authenticated users may publish to the protected topics (the
 * commands). {@code enabled = false} switches it off.
 *
 * <p>Not {@code openhall.required}: a port that is taken is logged and the hall runs on. Starting
 * and stopping happen on the thread {@code mqtt-broker}, never in activate.
 */
@Component(configurationPid = BrokerConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = BrokerComponent.class, property = { "osgi.command.scope=broker", "osgi.command.function=status" })
@Designate(ocd = BrokerOcd.class)
public final class BrokerComponent {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerComponent.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HallHome home;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mqtt-broker");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService health = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mqtt-broker-health");
        t.setDaemon(true);
        return t;
    });
    private final Refusals refusals = new Refusals();
    private BrokerConfig running; // worker thread only
    private Server server; // worker thread only
    private BrokerPolicy policy; // worker thread only
    /** Across broker restarts, so that the clients reconnecting after one do not all pay PBKDF2 again. */
    private final VerifiedPasswords passwords = new VerifiedPasswords();
    private final List<Integer> registeredPorts = new ArrayList<>(); // worker thread only
    private ScheduledFuture<?> probing; // worker thread only
    private volatile BrokerConfig accepted;
    private volatile Server current;
    private volatile String probeSecret;
    private volatile int failedProbes;
    private volatile long restarts;
    private volatile String lastProbe = "none yet";

    @Activate
    public BrokerComponent(@Reference HallHome home, Map<String, Object> properties) {
        this.home = home;
        configure(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties);
    }

    private void configure(Map<String, Object> properties) {
        String source = ConfigReader.source(properties);
        BrokerConfig config;
        try {
            config = BrokerConfig.parse(properties);
        } catch (ConfigProblem p) {
            LOG.error("Rejected configuration {}: key '{}': {}; {}", source, p.key(), p.getMessage(),
                    accepted == null ? "the broker stays off until it is fixed" : "the last good version of it stays in force");
            return;
        }
        accepted = config;
        worker.execute(() -> apply(config));
    }

    private void apply(BrokerConfig config) {
        if (config.equals(running)) {
            return;
        }
        stopServer();
        if (!config.enabled()) {
            LOG.info("Embedded MQTT broker is switched off (enabled = false)");
            return;
        }
        startServer(config);
    }

    private void startServer(BrokerConfig config) {
        SslContext ssl = null;
        if (config.sslPort() != 0 || config.wssPort() != 0) {
            try {
                ssl = sslContext(config);
            } catch (Exception e) {
                LOG.error("Embedded MQTT broker cannot start: key 'tls.keyStore': {} cannot be used: {}", config.keyStore(),
                        e.toString());
                return;
            }
        }
        Properties p = new Properties();
        p.setProperty("host", config.host());
        p.setProperty("port", config.port() == 0 ? "disabled" : Integer.toString(config.port()));
        p.setProperty("websocket_port", config.websocketPort() == 0 ? "disabled" : Integer.toString(config.websocketPort()));
        p.setProperty("websocket_path", config.websocketPath());
        if (config.sslPort() != 0) {
            p.setProperty("ssl_port", Integer.toString(config.sslPort()));
        }
        if (config.wssPort() != 0) {
            p.setProperty("secure_websocket_port", Integer.toString(config.wssPort()));
        }
        p.setProperty("allow_anonymous", "true");
        p.setProperty("allow_zero_byte_client_id", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("data_path", home.data().resolve("mqtt").resolve("broker").toString());
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("use_metrics", "false");
        p.setProperty("use_bugsnag", "false");
        p.setProperty("netty.mqtt.message_size", Integer.toString(1024 * 1024));
        String secret = Base64.getEncoder().encodeToString(randomBytes());
        passwords.retain(config.users());
        BrokerPolicy pol = new BrokerPolicy(config, refusals, secret, passwords);
        for (int port : new int[] { config.port(), config.websocketPort(), config.sslPort(), config.wssPort() }) {
            if (port != 0) {
                ConnectionGate.register(port, pol);
                registeredPorts.add(port);
            }
        }
        Server s = new Server();
        Thread thread = Thread.currentThread();
        ClassLoader tccl = thread.getContextClassLoader();
        thread.setContextClassLoader(BrokerComponent.class.getClassLoader());
        SslContext sslContext = ssl;
        try {
            s.startServer(new MemoryConfig(p), List.of(), () -> sslContext, new Authenticator(pol), new Authorizator(pol));
            server = s;
            current = s;
            policy = pol;
            running = config;
            probeSecret = secret;
            failedProbes = 0;
            LOG.info("Embedded MQTT broker listening on {} port {}, WebSocket {} {}, TLS {}, WSS {} ({} users; {} may publish"
                    + " to {})", config.host(), off(config.port()), off(config.websocketPort()), config.websocketPath(),
                    off(config.sslPort()), off(config.wssPort()), config.users().size(),
                    config.hallUsers().isEmpty() ? "only users" : "hall users " + config.hallUsers() + " to " + config.hallTopics()
                            + ", users", config.protectedTopics());
            if (config.hallUsers().isEmpty()) {
                LOG.warn("Embedded MQTT broker: hallUsers is not set, so any client may publish the hall's state and events"
                        + " and use its client ids (set hallUsers = the user of the hall's own connection)");
            }
            scheduleProbes(config);
        } catch (Exception | LinkageError e) {
            LOG.error("Embedded MQTT broker cannot start on {} port {} / WebSocket {} / TLS {} / WSS {}: {}", config.host(),
                    config.port(), config.websocketPort(), config.sslPort(), config.wssPort(), e.toString());
            unregisterPorts(pol);
            try {
                s.stopServer();
            } catch (RuntimeException | LinkageError ignored) {
                LOG.debug("Embedded MQTT broker: stop after a failed start: {}", ignored.toString());
            }
        } finally {
            thread.setContextClassLoader(tccl);
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return b;
    }

    private static Object off(int port) {
        return port == 0 ? "off" : port;
    }

    /** The broker's key and certificate, checked here so that a bad file is one clear error, not a half-started broker. */
    static SslContext sslContext(BrokerConfig config) throws Exception {
        KeyStore ks = KeyStore.getInstance(config.keyStoreType().toUpperCase(java.util.Locale.ROOT));
        try (InputStream in = Files.newInputStream(Path.of(config.keyStore()))) {
            ks.load(in, config.keyStorePassword().toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, config.keyPassword().toCharArray());
        return SslContextBuilder.forServer(kmf).sslProvider(SslProvider.JDK).build();
    }

    private void scheduleProbes(BrokerConfig config) {
        if (config.healthIntervalSeconds() == 0) {
            return;
        }
        String uri = probeUri(config);
        if (uri == null) {
            LOG.info("Embedded MQTT broker: no health check (it needs port or websocketPort)");
            return;
        }
        Server s = server;
        probing = health.scheduleWithFixedDelay(() -> probe(s, config, uri), config.healthIntervalSeconds(),
                config.healthIntervalSeconds(), TimeUnit.SECONDS);
    }

    static String probeUri(BrokerConfig config) {
        String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? "127.0.0.1" : config.host();
        if (config.port() != 0) {
            return "tcp://" + host + ":" + config.port();
        }
        if (config.websocketPort() != 0) {
            return "ws://" + host + ":" + config.websocketPort() + config.websocketPath();
        }
        return null;
    }

    /** On the health thread: one probe; after healthCheck.failures failures in a row the server is restarted. */
    private void probe(Server probed, BrokerConfig config, String uri) {
        if (current != probed) {
            return;
        }
        String failure;
        try {
            failure = HealthProbe.run(uri, probeSecret, config.healthTimeoutSeconds() * 1000L);
        } catch (RuntimeException | LinkageError e) {
            failure = e.toString();
        }
        if (current != probed) {
            return; // restarted or stopped meanwhile: the verdict is about a server that is gone
        }
        if (failure == null) {
            if (failedProbes > 0) {
                LOG.info("Embedded MQTT broker: health check passes again");
            }
            failedProbes = 0;
            lastProbe = "ok at " + Instant.now();
            return;
        }
        int n = ++failedProbes;
        lastProbe = "failed at " + Instant.now() + ": " + failure;
        LOG.warn("Embedded MQTT broker: health check failed ({} of {}): {}", n, config.healthFailures(), failure);
        if (n >= config.healthFailures()) {
            String reason = failure;
            worker.execute(() -> restart(probed, reason));
        }
    }

    private void restart(Server broken, String reason) {
        if (server != broken || running == null) {
            return;
        }
        BrokerConfig config = running;
        LOG.warn("Embedded MQTT broker: restarting it (the hall runs on): {} health checks in a row failed, the last: {}",
                failedProbes, reason);
        restarts++;
        stopServer();
        startServer(config);
    }

    private void unregisterPorts(BrokerPolicy pol) {
        for (int port : registeredPorts) {
            ConnectionGate.unregister(port, pol);
        }
        registeredPorts.clear();
    }

    private void stopServer() {
        Server s = server;
        server = null;
        current = null;
        running = null;
        if (probing != null) {
            probing.cancel(false);
            probing = null;
        }
        if (s != null) {
            try {
                s.stopServer();
                LOG.info("Embedded MQTT broker stopped");
            } catch (RuntimeException e) {
                LOG.warn("Embedded MQTT broker: stop failed: {}", e.toString());
            }
        }
        if (policy != null) {
            unregisterPorts(policy);
            policy = null;
        }
    }

    @Deactivate
    void deactivate() {
        health.shutdownNow();
        worker.execute(this::stopServer);
        worker.shutdown();
        try {
            if (!worker.awaitTermination(15, TimeUnit.SECONDS)) {
                LOG.warn("Embedded MQTT broker did not stop within 15 s");
            }
            health.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Refusals since the component started, by kind: credentials, clientId, publish, subscribe. */
    public Map<String, Long> refusals() {
        return refusals.snapshot();
    }

    /** How many times the health check restarted the broker. */
    public long restarts() {
        return restarts;
    }

    /** Console {@code broker:status}: listeners, refusals, health check. */
    public String status() {
        BrokerConfig c = accepted;
        StringBuilder b = new StringBuilder();
        if (c == null || !c.enabled()) {
            b.append("Embedded MQTT broker: off\n");
        } else {
            b.append("Embedded MQTT broker: ").append(current != null ? "running" : "NOT running").append(" on ").append(c.host())
                    .append(", MQTT ").append(off(c.port())).append(", WebSocket ").append(off(c.websocketPort()))
                    .append(", TLS ").append(off(c.sslPort())).append(", WSS ").append(off(c.wssPort())).append('\n');
        }
        b.append("refusals: ").append(refusals.snapshot()).append('\n');
        b.append("health check: ").append(lastProbe).append("; restarts: ").append(restarts)
                .append("; failed session commands (survived): ").append(OpenHallAccess.failedSessionCommands()).append('\n');
        return b.toString();
    }

    /** How many PBKDF2 derivations the broker ran for connecting users; for tests. */
    long passwordDerivations() {
        return passwords.derivations();
    }

    /** Port the broker listens on now (0: not running); for tests. */
    boolean runningNow() {
        return current != null;
    }

    /** Test hook: every Moquette session thread of the running server blocks, behind the component's back. */
    void wedgeSessionThreadsForTest() {
        Server s = current;
        if (s != null) {
            OpenHallAccess.wedgeSessionThreads(s);
        }
    }

    /** Test hook: a command fails on every session thread, as in issue 17 point 3. */
    void failOnSessionThreadsForTest() {
        Server s = current;
        if (s != null) {
            OpenHallAccess.failOnSessionThreads(s);
        }
    }

    /** Moquette's authenticator: called for a CONNECT with a user name only (anonymous clients are let in). */
    private static final class Authenticator implements IAuthenticator {
        private final BrokerPolicy policy;

        Authenticator(BrokerPolicy policy) {
            this.policy = policy;
        }

        @Override
        public boolean checkValid(String clientId, String username, byte[] password) {
            return policy.checkPassword(clientId, username, password);
        }
    }

    /**
     * Moquette's authorizer. Publications are decided by {@link ConnectionGate} before Moquette sees
     * them (it acknowledges refused QoS 1 messages); this is the same rule once more, for safety.
     */
    private static final class Authorizator implements IAuthorizatorPolicy {
        private final BrokerPolicy policy;

        Authorizator(BrokerPolicy policy) {
            this.policy = policy;
        }

        @Override
        public boolean canWrite(Topic topic, String user, String client) {
            return policy.publishRefusal(topic.toString(), user, client) == null;
        }

        @Override
        public boolean canRead(Topic topic, String user, String client) {
            return policy.canRead(topic.toString(), user, client);
        }
    }
}
