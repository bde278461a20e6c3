package org.openhall.policy.noshow.internal;

import java.time.Duration;
import java.util.Map;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The configuration {@code etc/org.openhall.policy.noshow.cfg}. */
record Config(int recalls, Duration grace) {

    static final String PID = "org.openhall.policy.noshow";

    @ObjectClassDefinition(id = PID, name = "No-show policy (R11)",
            description = "A called ticket whose citizen does not come after N recalls is marked no-show.")
    @interface Ocd {
        @AttributeDefinition(min = "0", max = "10",
                description = "Recalls after the first call before the ticket is a no-show (0: the first call only).")
        int recalls() default 2;

        @AttributeDefinition(min = "5", max = "3600",
                description = "Seconds to wait after the last recall before marking the no-show.")
        int graceSeconds() default 60;
    }

    static Config read(Map<String, ?> properties) throws ConfigProblem {
        ConfigReader r = new ConfigReader(properties);
        return new Config(r.integer("recalls", 2, 0, 10), Duration.ofSeconds(r.integer("graceSeconds", 60, 5, 3600)));
    }
}
