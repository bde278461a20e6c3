package org.openhall.policy.closing.internal;

import java.time.Duration;
import java.util.Map;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The configuration {@code etc/org.openhall.policy.closing.cfg}. */
record Config(Duration cutoff, String kioskText) {

    static final String PID = "org.openhall.policy.closing";

    @ObjectClassDefinition(id = PID, name = "Closing and extended service policy (R3, R13)",
            description = "Issuing stops a cut-off before closing; windows stay open and the hall is extended"
                    + " until every ticket issued before it is served. Hours and holidays: org.openhall.hall.")
    @interface Ocd {
        @AttributeDefinition(min = "0", max = "600",
                description = "Minutes before the closing time from which kiosks issue no tickets (0: at closing).")
        int cutoffMinutes() default 30;

        @AttributeDefinition(required = false,
                description = "Text the kiosk shows with the refusal after the cut-off (UTF-8, e.g. Chinese).")
        String kioskText() default "";
    }

    static Config read(Map<String, ?> properties) throws ConfigProblem {
        ConfigReader r = new ConfigReader(properties);
        return new Config(Duration.ofMinutes(r.integer("cutoffMinutes", 30, 0, 600)), r.optional("kioskText", ""));
    }
}
