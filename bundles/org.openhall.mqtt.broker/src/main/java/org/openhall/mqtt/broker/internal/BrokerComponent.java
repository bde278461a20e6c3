package org.openhall.mqtt.broker.internal;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.api.config.Credentials;
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

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;

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
        service = {})
@Designate(ocd = BrokerOcd.class)
public final class BrokerComponent {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerComponent.class);

    private final HallHome home;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mqtt-broker");
        t.setDaemon(true);
        return t;
    });
    private BrokerConfig running; // worker thread only
    private Server server; // worker thread only
    private volatile BrokerConfig accepted;

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
        Properties p = new Properties();
        p.setProperty("host", config.host());
        p.setProperty("port", config.port() == 0 ? "disabled" : Integer.toString(config.port()));
        p.setProperty("websocket_port", config.websocketPort() == 0 ? "disabled" : Integer.toString(config.websocketPort()));
        p.setProperty("websocket_path", config.websocketPath());
        p.setProperty("allow_anonymous", "true");
        p.setProperty("allow_zero_byte_client_id", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("data_path", home.data().resolve("mqtt").resolve("broker").toString());
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("use_metrics", "false");
        p.setProperty("use_bugsnag", "false");
        p.setProperty("netty.mqtt.message_size", Integer.toString(1024 * 1024));
        Server s = new Server();
        Thread current = Thread.currentThread();
        ClassLoader tccl = current.getContextClassLoader();
        current.setContextClassLoader(BrokerComponent.class.getClassLoader());
        try {
            s.startServer(new MemoryConfig(p), List.of(), null, new Authenticator(config), new Authorizator(config));
            server = s;
            running = config;
            LOG.info("Embedded MQTT broker listening on {} port {}, WebSocket {} {} ({} users may publish to {})",
                    config.host(), config.port() == 0 ? "off" : config.port(),
                    config.websocketPort() == 0 ? "off" : config.websocketPort(), config.websocketPath(),
                    config.users().size(), config.protectedTopics());
        } catch (Exception | LinkageError e) {
            LOG.error("Embedded MQTT broker cannot start on {} port {} / WebSocket {}: {}", config.host(), config.port(),
                    config.websocketPort(), e.toString());
            try {
                s.stopServer();
            } catch (RuntimeException | LinkageError ignored) {
                LOG.debug("Embedded MQTT broker: stop after a failed start: {}", ignored.toString());
            }
        } finally {
            current.setContextClassLoader(tccl);
        }
    }

    private void stopServer() {
        Server s = server;
        server = null;
        running = null;
        if (s != null) {
            try {
                s.stopServer();
                LOG.info("Embedded MQTT broker stopped");
            } catch (RuntimeException e) {
                LOG.warn("Embedded MQTT broker: stop failed: {}", e.toString());
            }
        }
    }

    @Deactivate
    void deactivate() {
        worker.execute(this::stopServer);
        worker.shutdown();
        try {
            if (!worker.awaitTermination(15, TimeUnit.SECONDS)) {
                LOG.warn("Embedded MQTT broker did not stop within 15 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A client that names a user must give that user's password; anonymous clients are let in. */
    private static final class Authenticator implements IAuthenticator {
        private final BrokerConfig config;

        Authenticator(BrokerConfig config) {
            this.config = config;
        }

        @Override
        public boolean checkValid(String clientId, String username, byte[] password) {
            String hash = username == null ? null : config.users().get(username);
            boolean ok = hash != null && Credentials.verify(new String(password, java.nio.charset.StandardCharsets.UTF_8), hash);
            if (!ok) {
                LOG.warn("Embedded MQTT broker: client {} refused: bad user name or password for '{}'", clientId, username);
            }
            return ok;
        }
    }

    /** Everyone reads but the read-protected topics; the protected topics are written only by authenticated users. */
    private static final class Authorizator implements IAuthorizatorPolicy {
        private final BrokerConfig config;

        Authorizator(BrokerConfig config) {
            this.config = config;
        }

        @Override
        public boolean canWrite(Topic topic, String user, String client) {
            String name = topic.toString();
            for (String filter : config.protectedTopics()) {
                if (TopicFilter.matches(filter, name)) {
                    boolean ok = user != null && config.users().containsKey(user);
                    if (!ok) {
                        LOG.warn("Embedded MQTT broker: client {} may not publish to {} (not authenticated)", client, name);
                    }
                    return ok;
                }
            }
            return true;
        }

        /**
         * Called by Moquette 0.17 once per subscription, with its filter (not per message): an
         * anonymous subscription whose filter can match a read-protected topic is refused as a
         * whole, so an anonymous {@code openhall/#} gets nothing; narrower filters such as
         * {@code openhall/v1/demo/events/#} work.
         */
        @Override
        public boolean canRead(Topic topic, String user, String client) {
            if (user != null && config.users().containsKey(user)) {
                return true;
            }
            String filter = topic.toString();
            for (String p : config.readProtectedTopics()) {
                if (TopicFilter.overlap(filter, p)) {
                    LOG.warn("Embedded MQTT broker: client {} may not subscribe to {}: it can match {}, which only"
                            + " authenticated users may read", client, filter, p);
                    return false;
                }
            }
            return true;
        }
    }
}
