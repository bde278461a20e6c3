package org.openhall.policy.overflow.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration {@code etc/org.openhall.policy.overflow.cfg}: hall-wide thresholds, and per
 * category ({@code threshold.A}, {@code clearBelow.A}, {@code tidal.A}, {@code text.A}) overrides.
 *
 * @param defaults   the thresholds of categories without their own
 * @param byCategory thresholds of categories that have their own
 * @param watched    the categories watched; empty: all of the hall's categories
 * @param tidal      per category, the windows (in order of preference) that may be assigned to it
 * @param text       the alert text template; {@code {category}}, {@code {name}}, {@code {threshold}}
 * @param texts      per category text templates
 * @param check      how often the hall is looked at without an event
 */
record Config(Thresholds defaults, Map<String, Thresholds> byCategory, Set<String> watched,
        Map<String, List<String>> tidal, String text, Map<String, String> texts, Duration check) {

    static final String PID = "org.openhall.policy.overflow";
    static final String DEFAULT_TEXT = "{name}排队超过{threshold}人,请增开窗口";

    /** Raise when more than {@code raiseAbove} wait; clear when fewer than {@code clearBelow} wait (R2 hysteresis). */
    record Thresholds(int raiseAbove, int clearBelow) {
    }

    @ObjectClassDefinition(id = PID, name = "Overflow and tidal windows policy (R2)",
            description = "An alert when more than a threshold wait in a category, cleared below a lower threshold;"
                    + " where configured a standby (tidal) window is assigned to the category while its queue is long."
                    + " Per category: threshold.<category>, clearBelow.<category>, tidal.<category> (window ids),"
                    + " text.<category>.")
    @interface Ocd {
        @AttributeDefinition(min = "1", max = "999",
                description = "An alert is raised when more than this many tickets wait in a category (R2: 10).")
        int threshold() default 10;

        @AttributeDefinition(min = "0", max = "999",
                description = "The alert is cleared (and a tidal window taken back) when fewer than this many wait;"
                        + " at most the threshold.")
        int clearBelow() default 5;

        @AttributeDefinition(required = false,
                description = "Comma list of the categories watched; empty: every category of the hall.")
        String categories();

        @AttributeDefinition(required = false,
                description = "Alert text shown on screens; {category}, {name} (the category's name) and {threshold}"
                        + " are replaced.")
        String text() default DEFAULT_TEXT;

        @AttributeDefinition(min = "1", max = "3600",
                description = "Seconds between looks at the hall when no event arrives.")
        int checkSeconds() default 30;
    }

    static Config read(Map<String, ?> properties) throws ConfigProblem {
        ConfigReader r = new ConfigReader(properties);
        int threshold = r.integer("threshold", 10, 1, 999);
        int clearBelow = r.integer("clearBelow", Math.min(5, threshold), 0, 999);
        if (clearBelow > threshold) {
            throw new ConfigProblem("clearBelow", clearBelow + " is above the threshold " + threshold);
        }
        Thresholds defaults = new Thresholds(threshold, clearBelow);
        Map<String, Thresholds> byCategory = new HashMap<>();
        Map<String, List<String>> tidal = new HashMap<>();
        Map<String, String> texts = new HashMap<>();
        for (String key : properties.keySet()) {
            String category = suffix(key, "threshold.", "clearBelow.", "tidal.", "text.");
            if (category == null || byCategory.containsKey(category)) {
                continue;
            }
            int t = r.integer("threshold." + category, threshold, 1, 999);
            int c = r.integer("clearBelow." + category, Math.min(clearBelow, t), 0, 999);
            if (c > t) {
                throw new ConfigProblem("clearBelow." + category, c + " is above the threshold " + t + " of " + category);
            }
            byCategory.put(category, new Thresholds(t, c));
            List<String> windows = r.list("tidal." + category);
            if (!windows.isEmpty()) {
                tidal.put(category, windows);
            }
            String text = r.optional("text." + category, null);
            if (text != null) {
                texts.put(category, text);
            }
        }
        return new Config(defaults, Map.copyOf(byCategory), Set.copyOf(r.list("categories")), Map.copyOf(tidal),
                r.optional("text", DEFAULT_TEXT), Map.copyOf(texts),
                Duration.ofSeconds(r.integer("checkSeconds", 30, 1, 3600)));
    }

    private static String suffix(String key, String... prefixes) {
        for (String p : prefixes) {
            if (key.startsWith(p) && key.length() > p.length()) {
                return key.substring(p.length());
            }
        }
        return null;
    }

    Thresholds thresholds(String category) {
        return byCategory.getOrDefault(category, defaults);
    }

    boolean watches(String category) {
        return watched.isEmpty() || watched.contains(category);
    }

    /** The screen text of a category's alert. */
    String text(String category, String name, int threshold) {
        return texts.getOrDefault(category, text).replace("{category}", category)
                .replace("{name}", name == null ? category : name).replace("{threshold}", Integer.toString(threshold));
    }
}
