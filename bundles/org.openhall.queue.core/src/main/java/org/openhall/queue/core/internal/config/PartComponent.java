package org.openhall.queue.core.internal.config;

import java.util.Map;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the five configuration components ({@code *Part}) share, lifecycle and registry reference
 * included: parse a file's properties into a part, hand it to
 * the registry, and on a bad file log file, key and reason and keep the last good part.
 */
abstract class PartComponent {

    private static final Logger LOG = LoggerFactory.getLogger(PartComponent.class);

    @FunctionalInterface
    interface Parser {
        Object parse(Map<String, ?> properties) throws ConfigProblem;
    }

    private final Parser parser;
    private String pid;

    PartComponent(Parser parser) {
        this.parser = parser;
    }

    /** Inherited by the five components (bnd: -dsannotations-options: inherit). */
    @Reference
    HallConfigRegistry registry;

    HallConfigRegistry registry() {
        return registry;
    }

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        update(properties);
    }

    @Deactivate
    void deactivate(int reason) {
        remove(reason);
    }

    final void update(Map<String, ?> properties) {
        pid = String.valueOf(properties.get("service.pid"));
        String source = ConfigReader.source(properties);
        Object part;
        try {
            part = parser.parse(properties);
        } catch (ConfigProblem p) {
            registry().seen(pid);
            LOG.error("Rejected configuration {}: key '{}': {}; {}", source, p.key(), p.reason(),
                    "the last good version of it (if any) stays in force");
            return;
        }
        registry().put(pid, source, part);
    }

    /**
     * Takes the part out only when its configuration was deleted. When the bundle stops (an
     * update of the core, a shutdown) the parts go away in no particular order: passing that on
     * would shrink the configuration of a core that is still serving.
     */
    final void remove(int reason) {
        if (pid != null && reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED) {
            registry().remove(pid);
        }
    }
}
