package org.openhall.queue.core.internal.config;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the five configuration components share: parse a file's properties into a part, hand it to
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

    abstract HallConfigRegistry registry();

    final void update(Map<String, ?> properties) {
        pid = String.valueOf(properties.get("service.pid"));
        String source = Props.source(properties);
        Object part;
        try {
            part = parser.parse(properties);
        } catch (ConfigProblem p) {
            LOG.error("Rejected configuration {}: key '{}': {}; {}", source, p.key(), p.reason(),
                    "the last good version of it (if any) stays in force");
            return;
        }
        registry().put(pid, source, part);
    }

    final void remove() {
        if (pid != null) {
            registry().remove(pid);
        }
    }
}
