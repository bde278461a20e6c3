package org.openhall.web.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Objects;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the port and bind address of {@code etc/org.openhall.web.cfg} to Felix HTTP (PID
 * {@code org.apache.felix.http}), so that the hall's configuration stays in its own file. The
 * runtime starts Felix HTTP disabled ({@code org.apache.felix.http.enable=false}) until this
 * configuration arrives, so no default port is bound on the way. Felix HTTP logs a port that is
 * taken and keeps running without the listener; the hall runs on.
 */
@Component(configurationPid = WebConfig.PID, configurationPolicy = org.osgi.service.component.annotations.ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = WebConfig.class)
public final class HttpPort {

    private static final Logger LOG = LoggerFactory.getLogger(HttpPort.class);
    static final String FELIX_HTTP_PID = "org.apache.felix.http";

    private final ConfigurationAdmin configAdmin;

    @Activate
    public HttpPort(@Reference ConfigurationAdmin configAdmin, WebConfig config) {
        this.configAdmin = configAdmin;
        apply(config);
    }

    @Modified
    void modified(WebConfig config) {
        apply(config);
    }

    private void apply(WebConfig config) {
        if (config.port() < 1 || config.port() > 65535) {
            LOG.error("Rejected configuration {}: key 'port': {} is not a TCP port; the pages keep their last port",
                    WebConfig.PID, config.port());
            return;
        }
        try {
            // "?": a multi-location binding, so that the Felix HTTP bundle receives it.
            Configuration c = configAdmin.getConfiguration(FELIX_HTTP_PID, "?");
            Dictionary<String, Object> now = c.getProperties();
            String port = Integer.toString(config.port());
            String host = config.host();
            if (now != null && Objects.equals(String.valueOf(now.get("org.osgi.service.http.port")), port)
                    && Objects.equals(String.valueOf(now.get("org.apache.felix.http.host")), host)
                    && "true".equals(String.valueOf(now.get("org.apache.felix.http.enable")))) {
                return; // unchanged: do not restart Jetty
            }
            Dictionary<String, Object> p = new Hashtable<>();
            p.put("org.apache.felix.http.enable", "true");
            p.put("org.osgi.service.http.port", port);
            p.put("org.apache.felix.http.host", host);
            p.put("org.apache.felix.https.enable", "false");
            c.update(p);
            LOG.info("Web pages on http://{}:{}/", host, port);
        } catch (IOException | RuntimeException e) {
            LOG.error("Could not configure Felix HTTP for the web pages", e);
        }
    }
}
