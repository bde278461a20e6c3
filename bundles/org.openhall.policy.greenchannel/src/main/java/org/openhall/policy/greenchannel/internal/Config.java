package org.openhall.policy.greenchannel.internal;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.api.queue.PriorityClass;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** The configuration {@code etc/org.openhall.policy.greenchannel.cfg}. */
final class Config {

    static final String PID = "org.openhall.policy.greenchannel";

    private Config() {
    }

    @ObjectClassDefinition(id = PID, name = "Green channel policy (R1)",
            description = "Priority calling and/or dedicated windows for the green channel, with a fairness bound"
                    + " for normal tickets, and the priority classes the hall offers at its kiosks.")
    @interface Ocd {
        @AttributeDefinition(description = "Priority classes that count as green channel (GREEN_CHANNEL, APPOINTMENT).")
        String[] greenClasses() default { "GREEN_CHANNEL" };

        @AttributeDefinition(description = "Green-channel tickets go before normal ones at every window (优先叫号)."
                + " Off: only dedicated windows call them first.")
        boolean priorityCalling() default true;

        @AttributeDefinition(required = false,
                description = "Ids of dedicated windows (专窗) that call green-channel tickets first, then others.")
        String[] dedicatedWindows() default {};

        @AttributeDefinition(min = "0", max = "100",
                description = "After this many priority calls in a row (hall-wide) a normal ticket goes first; 0: off.")
        int maxConsecutivePriorityCalls() default 3;

        @AttributeDefinition(min = "0", max = "1440",
                description = "A normal ticket waiting longer than this many minutes goes first; 0: off.")
        int maxNormalWaitMinutes() default 30;

        @AttributeDefinition(description = "Priority classes the kiosks may issue (NORMAL always; none: no other).")
        String[] offeredClasses() default { "GREEN_CHANNEL", "APPOINTMENT" };

        @AttributeDefinition(description = "What happens to a class the hall does not offer.",
                options = { @Option(value = "downgrade", label = "issue it as NORMAL"),
                        @Option(value = "refuse", label = "refuse the ticket") })
        String notOffered() default "downgrade";
    }

    static GreenChannelRule.Settings read(Map<String, ?> properties) throws ConfigProblem {
        ConfigReader r = new ConfigReader(properties);
        Set<PriorityClass> green = classes(r, "greenClasses", List.of("GREEN_CHANNEL"));
        Set<PriorityClass> offered = classes(r, "offeredClasses", List.of("GREEN_CHANNEL", "APPOINTMENT"));
        String notOffered = r.optional("notOffered", "downgrade");
        if (!notOffered.equals("downgrade") && !notOffered.equals("refuse")) {
            throw new ConfigProblem("notOffered", "'" + notOffered + "' is neither downgrade nor refuse");
        }
        return new GreenChannelRule.Settings(green, r.bool("priorityCalling", true),
                new LinkedHashSet<>(r.list("dedicatedWindows")), r.integer("maxConsecutivePriorityCalls", 3, 0, 100),
                Duration.ofMinutes(r.integer("maxNormalWaitMinutes", 30, 0, 1440)), offered,
                notOffered.equals("refuse"));
    }

    /** A list of priority classes; absent: the fallback; {@code none}: no class at all. */
    private static Set<PriorityClass> classes(ConfigReader r, String key, List<String> fallback) throws ConfigProblem {
        List<String> names = r.list(key);
        if (names.isEmpty()) {
            names = fallback;
        } else if (names.size() == 1 && names.get(0).equalsIgnoreCase("none")) {
            names = List.of();
        }
        Set<PriorityClass> out = EnumSet.noneOf(PriorityClass.class);
        for (String n : names) {
            PriorityClass p;
            try {
                p = PriorityClass.valueOf(n.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigProblem(key, "'" + n + "' is not a priority class (GREEN_CHANNEL, APPOINTMENT or none)");
            }
            if (p == PriorityClass.NORMAL) {
                throw new ConfigProblem(key, "NORMAL is not a priority class: every hall issues NORMAL tickets");
            }
            out.add(p);
        }
        return out;
    }
}
