package org.openhall.web.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.openhall.api.runtime.Health;
import org.openhall.api.runtime.HealthCheck;
import org.openhall.api.runtime.HallReady;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /health} on the hall's HTTP port, for load balancers and monitoring: 200 only when the
 * hall is READY (every required component up, {@link HallReady}) and every {@link HealthCheck} of
 * the hall answers healthy within {@value #BOUND_MILLIS} ms, the queue core's among them; else 503.
 * The body names each check: {@code {"status":"UP","ready":true,"checks":{"queue":{"healthy":true,
 * "detail":"…"}}}}. No citizen data (R16).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/health")
@HttpWhiteboardServletName("openhall-health")
public final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final long BOUND_MILLIS = 2_000;
    /** The check that must be there: without the queue core there is no hall. */
    static final String REQUIRED_CHECK = "queue";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile HallReady ready;

    private final transient List<Map.Entry<String, HealthCheck>> checks = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addCheck(HealthCheck check, Map<String, Object> properties) {
        checks.add(Map.entry(String.valueOf(properties.getOrDefault(HealthCheck.NAME_PROPERTY, "unnamed")), check));
    }

    void removeCheck(HealthCheck check) {
        checks.removeIf(e -> e.getValue() == check);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ObjectNode body = report();
        resp.setStatus("UP".equals(body.path("status").asText()) ? 200 : 503);
        resp.setContentType("application/json; charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getOutputStream().write(JSON.writeValueAsBytes(body));
    }

    ObjectNode report() {
        boolean up = ready != null;
        Map<String, Health> results = new TreeMap<>();
        for (Map.Entry<String, HealthCheck> e : checks) {
            Health h;
            try {
                h = e.getValue().check(Duration.ofMillis(BOUND_MILLIS));
            } catch (RuntimeException failed) {
                h = Health.down("check failed: " + failed);
            }
            results.put(e.getKey(), h == null ? Health.down("no answer") : h);
            up &= h != null && h.healthy();
        }
        if (!results.containsKey(REQUIRED_CHECK)) {
            results.put(REQUIRED_CHECK, Health.down("the queue core's check is not registered"));
            up = false;
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("status", up ? "UP" : "DOWN");
        n.put("ready", ready != null);
        ObjectNode c = n.putObject("checks");
        results.forEach((name, h) -> c.putObject(name).put("healthy", h.healthy()).put("detail", h.detail()));
        return n;
    }
}
