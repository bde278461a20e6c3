package org.openhall.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;

import org.openhall.api.queue.CategoryView;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.HallSnapshot;
import org.openhall.api.queue.WindowView;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Serves the pages (static resources of this bundle under {@code web/}) and {@code /config.json},
 * the page configuration made from the hall's own configuration: broker URL, topic root,
 * categories, windows, kiosks, service items' checklists. The pages hold no state of the hall: they
 * subscribe to it over MQTT, so an update of this bundle stops nothing and open screens go on.
 * Serving a few static files is hand-written here because the Whiteboard's resource service cannot
 * map {@code /screen} to {@code screen.html}.
 */
@Component(service = Servlet.class, configurationPid = WebConfig.PID)
@HttpWhiteboardServletPattern("/*")
@HttpWhiteboardServletName("openhall-web")
public final class WebServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(WebServlet.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Page paths → resources. */
    static final Map<String, String> PAGES = Map.of("/", "index.html", "/screen", "screen.html", "/kiosk",
            "kiosk.html", "/caller", "caller.html", "/evaluator", "evaluator.html");

    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js",
            "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "json",
            "application/json; charset=utf-8", "png", "image/png", "md", "text/plain; charset=utf-8");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile HallQueue queue;

    @Reference
    ConfigurationAdmin configAdmin;

    private volatile WebConfig config;
    private final transient Bundle bundle = FrameworkUtil.getBundle(WebServlet.class);

    @Activate
    @Modified
    void activate(WebConfig config) {
        this.config = config;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        if (path.isEmpty()) {
            path = "/";
        }
        resp.setHeader("X-Content-Type-Options", "nosniff");
        if (path.equals("/config.json")) {
            resp.setContentType(TYPES.get("json"));
            resp.setHeader("Cache-Control", "no-store");
            resp.getOutputStream().write(JSON.writeValueAsBytes(pageConfig()));
            return;
        }
        String resource = PAGES.get(path);
        if (resource == null) {
            resource = path.substring(1);
        }
        if (resource.contains("..") || resource.contains("//") || resource.startsWith("/")) {
            resp.sendError(404);
            return;
        }
        URL url = bundle == null ? getClass().getResource("/web/" + resource) : bundle.getEntry("web/" + resource);
        if (url == null || resource.endsWith("/")) {
            resp.sendError(404);
            return;
        }
        String ext = resource.substring(resource.lastIndexOf('.') + 1);
        resp.setContentType(TYPES.getOrDefault(ext, "application/octet-stream"));
        // Pages are small; no-cache makes a screen pick up a new bundle's pages at its next load.
        resp.setHeader("Cache-Control", resource.startsWith("vendor/") ? "max-age=3600" : "no-cache");
        try (InputStream in = url.openStream()) {
            in.transferTo(resp.getOutputStream());
        }
    }

    /** The page configuration; no citizen data (R16), no credentials. */
    ObjectNode pageConfig() {
        WebConfig c = config;
        ObjectNode n = JSON.createObjectNode();
        HallQueue q = queue;
        HallSnapshot s = null;
        try {
            s = q == null ? null : q.snapshot();
        } catch (RuntimeException e) {
            LOG.debug("No snapshot of the hall for the page configuration", e);
        }
        String hallId = s != null ? s.hallId() : String.valueOf(property("org.openhall.hall", "hall.id", "demo"));
        n.put("hallId", hallId);
        n.put("hallName", s != null ? s.hallName() : String.valueOf(property("org.openhall.hall", "hall.name", "")));
        n.put("topicRoot", c.topicRoot().replace("{hallId}", hallId));
        n.put("brokerUrl", c.brokerUrl());
        n.put("evaluatorSeconds", c.evaluatorSeconds());
        n.put("highlightSeconds", c.highlightSeconds());
        n.put("screenCalls", c.screenCalls());
        ArrayNode cats = n.putArray("categories");
        if (s != null) {
            for (CategoryView v : s.categories()) {
                cats.addObject().put("id", v.id()).put("name", v.name());
            }
        }
        ArrayNode wins = n.putArray("windows");
        if (s != null) {
            for (WindowView w : s.windows()) {
                ObjectNode o = wins.addObject().put("id", w.id()).put("name", w.name()).put("standby", w.standby());
                ArrayNode wc = o.putArray("categories");
                w.categories().forEach(wc::add);
            }
        }
        boolean green = greenChannelOffered();
        ArrayNode kiosks = n.putArray("kiosks");
        for (Dictionary<String, Object> k : factory("org.openhall.kiosk")) {
            Object id = k.get("kiosk.id");
            if (id == null) {
                continue;
            }
            ObjectNode o = kiosks.addObject().put("id", id.toString()).put("greenChannel", green);
            ArrayNode kc = o.putArray("categories");
            split(k.get("categories")).forEach(kc::add);
        }
        ArrayNode items = n.putArray("serviceItems");
        for (Dictionary<String, Object> i : factory("org.openhall.serviceitem")) {
            if (i.get("id") == null) {
                continue;
            }
            ObjectNode o = items.addObject().put("id", i.get("id").toString())
                    .put("category", String.valueOf(i.get("category"))).put("name", String.valueOf(i.get("name")));
            ArrayNode m = o.putArray("materials");
            split(i.get("materials")).forEach(m::add);
        }
        return n;
    }

    private boolean greenChannelOffered() {
        Object offered = property("org.openhall.policy.greenchannel", "offeredClasses", null);
        return offered != null && split(offered).contains("GREEN_CHANNEL");
    }

    private Object property(String pid, String key, Object dflt) {
        try {
            Configuration[] cs = configAdmin.listConfigurations("(service.pid=" + pid + ")");
            if (cs != null && cs.length > 0 && cs[0].getProperties() != null) {
                Object v = cs[0].getProperties().get(key);
                return v == null ? dflt : v;
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.debug("Cannot read {}", pid, e);
        }
        return dflt;
    }

    private List<Dictionary<String, Object>> factory(String factoryPid) {
        List<Dictionary<String, Object>> out = new ArrayList<>();
        try {
            Configuration[] cs = configAdmin.listConfigurations("(service.factoryPid=" + factoryPid + ")");
            if (cs != null) {
                Arrays.sort(cs, (a, b) -> a.getPid().compareTo(b.getPid()));
                for (Configuration c : cs) {
                    if (c.getProperties() != null) {
                        out.add(c.getProperties());
                    }
                }
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.debug("Cannot list {}", factoryPid, e);
        }
        out.sort((a, b) -> String.valueOf(a.get("id") != null ? a.get("id") : a.get("kiosk.id"))
                .compareTo(String.valueOf(b.get("id") != null ? b.get("id") : b.get("kiosk.id"))));
        return out;
    }

    static List<String> split(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof String[] a) {
            for (String x : a) {
                if (!x.isBlank()) {
                    out.add(x.trim());
                }
            }
        } else if (v != null) {
            for (String x : v.toString().split(",")) {
                if (!x.isBlank()) {
                    out.add(x.trim());
                }
            }
        }
        return out;
    }
}
