package org.openhall.policy.followup.internal;

import java.time.DayOfWeek;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The configuration {@code etc/org.openhall.policy.followup.cfg}. */
record Config(int badLevel, int ratingDays, int complaintDays, Set<DayOfWeek> weekend, Duration check,
        String ratingText, String complaintText) {

    static final String PID = "org.openhall.policy.followup";
    static final String DEFAULT_RATING_TEXT = "{window}号窗口差评回访{id}已超期(期限{due})";
    static final String DEFAULT_COMPLAINT_TEXT = "{window}号窗口投诉{id}已超期未办结(期限{due})";

    @ObjectClassDefinition(id = PID, name = "Bad-rating follow-up and complaints policy (R7, R15)",
            description = "A bad rating or a complaint registered at the console (followup:complaint) opens a"
                    + " follow-up with a deadline in working days; overdue follow-ups raise an alert until closed"
                    + " (followup:close).")
    @interface Ocd {
        @AttributeDefinition(min = "1", max = "4",
                description = "Ratings at or below this level open a follow-up (2: 不满意 and 非常不满意).")
        int badLevel() default 2;

        @AttributeDefinition(min = "1", max = "30", description = "Working days to follow a bad rating up.")
        int ratingWorkingDays() default 3;

        @AttributeDefinition(min = "1", max = "30", description = "Working days to report on a complaint (R15).")
        int complaintWorkingDays() default 2;

        @AttributeDefinition(description = "Days of the week that are not working days (holidays come from the"
                + " hall's configuration, org.openhall.hall.cfg).")
        String weekend() default "SATURDAY,SUNDAY";

        @AttributeDefinition(min = "1", max = "3600", description = "Seconds between checks for overdue follow-ups.")
        int checkSeconds() default 60;

        @AttributeDefinition(required = false, description = "Alert text of an overdue rating follow-up; {window},"
                + " {staff}, {ticket}, {id} and {due} are replaced.")
        String text_rating() default DEFAULT_RATING_TEXT;

        @AttributeDefinition(required = false, description = "Alert text of an overdue complaint; {window},"
                + " {staff}, {ticket}, {id} and {due} are replaced.")
        String text_complaint() default DEFAULT_COMPLAINT_TEXT;
    }

    static Config read(Map<String, ?> properties) throws ConfigProblem {
        ConfigReader r = new ConfigReader(properties);
        Set<DayOfWeek> weekend = EnumSet.noneOf(DayOfWeek.class);
        for (String d : r.list("weekend").isEmpty() && !properties.containsKey("weekend")
                ? java.util.List.of("SATURDAY", "SUNDAY") : r.list("weekend")) {
            try {
                weekend.add(DayOfWeek.valueOf(d.trim().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigProblem("weekend", "'" + d + "' is not a day of the week (MONDAY … SUNDAY)");
            }
        }
        if (weekend.size() == 7) {
            throw new ConfigProblem("weekend", "leaves no working day");
        }
        return new Config(r.integer("badLevel", 2, 1, 4), r.integer("ratingWorkingDays", 3, 1, 30),
                r.integer("complaintWorkingDays", 2, 1, 30), weekend,
                Duration.ofSeconds(r.integer("checkSeconds", 60, 1, 3600)),
                r.optional("text.rating", DEFAULT_RATING_TEXT), r.optional("text.complaint", DEFAULT_COMPLAINT_TEXT));
    }
}
