package org.openhall.policy.appointment.internal;

import java.util.Map;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** The configuration {@code etc/org.openhall.policy.appointment.cfg}. */
record Config(int earlyMinutes, int lateGraceMinutes, boolean refuseEarly) {

    static final String PID = "org.openhall.policy.appointment";

    @ObjectClassDefinition(id = PID, name = "Appointment policy (R10)",
            description = "Checked-in appointments are called before walk-ins within their slot; late ones become"
                    + " ordinary tickets.")
    @interface Ocd {
        @AttributeDefinition(min = "0", max = "240",
                description = "Minutes before the slot's start from which a check-in is an appointment ticket.")
        int earlyMinutes() default 15;

        @AttributeDefinition(min = "0", max = "240",
                description = "Minutes after the slot's end during which a check-in is still an appointment ticket.")
        int lateGraceMinutes() default 0;

        @AttributeDefinition(description = "What a check-in before the early tolerance gets.",
                options = { @Option(value = "normal", label = "an ordinary ticket"),
                        @Option(value = "refuse", label = "refused: come back later") })
        String tooEarly() default "normal";
    }

    static Config read(Map<String, ?> properties) throws ConfigProblem {
        ConfigReader r = new ConfigReader(properties);
        String tooEarly = r.optional("tooEarly", "normal");
        if (!tooEarly.equals("normal") && !tooEarly.equals("refuse")) {
            throw new ConfigProblem("tooEarly", "'" + tooEarly + "' is neither normal nor refuse");
        }
        return new Config(r.integer("earlyMinutes", 15, 0, 240), r.integer("lateGraceMinutes", 0, 0, 240),
                tooEarly.equals("refuse"));
    }
}
