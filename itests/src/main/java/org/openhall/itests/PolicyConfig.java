package org.openhall.itests;

import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Changes a policy's configuration through Config Admin for a test and puts the demo's back
 * afterwards. {@link #apply} waits until the policy's service carries the new values (DS updates
 * the service properties after the component took the configuration), so the test never races the
 * change.
 */
final class PolicyConfig implements AutoCloseable {

    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;
    private final String pid;
    private final Class<?> service;
    private final Dictionary<String, Object> demo;

    PolicyConfig(BundleContext context, ConfigurationAdmin configAdmin, String pid, Class<?> service) throws Exception {
        this.context = context;
        this.configAdmin = configAdmin;
        this.pid = pid;
        this.service = service;
        this.demo = configAdmin.getConfiguration(pid, "?").getProperties();
    }

    /** The demo's values with these changed; returns when the policy's service shows them. */
    void apply(Map<String, String> changes) throws Exception {
        Dictionary<String, Object> props = copy(demo);
        changes.forEach(props::put);
        configAdmin.getConfiguration(pid, "?").update(props);
        awaitService(changes);
    }

    private void awaitService(Map<String, String> values) {
        StringBuilder filter = new StringBuilder("(&(service.pid=" + pid + ")");
        values.forEach((k, v) -> filter.append('(').append(k).append('=').append(escape(v)).append(')'));
        filter.append(')');
        Poll.until(pid + " in force with " + values, () -> {
            try {
                return context.getServiceReferences(service.getName(), filter.toString()) != null;
            } catch (InvalidSyntaxException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Override
    public void close() throws Exception {
        Configuration c = configAdmin.getConfiguration(pid, "?");
        if (demo != null) {
            c.update(demo);
            Map<String, String> values = new java.util.HashMap<>();
            for (Enumeration<String> keys = demo.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                if (demo.get(k) instanceof String v && !v.isBlank() && k.matches("[A-Za-z0-9.]+")) {
                    values.put(k, v);
                }
            }
            awaitService(values); // the next test finds the demo's policy in force
        }
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> d) {
        Hashtable<String, Object> out = new Hashtable<>();
        if (d != null) {
            for (Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                out.put(k, d.get(k));
            }
        }
        return out;
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }
}
