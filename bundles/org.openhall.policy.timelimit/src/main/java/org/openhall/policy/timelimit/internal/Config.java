package org.openhall.policy.timelimit.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration {@code etc/org.openhall.policy.timelimit.cfg}.
 *
 * @param useHallItems     whether the hall's service items' {@code timeLimitMinutes} count
 * @param items            per service item limits of this policy ({@code itemMinutes.<item>}), first
 * @param categories       per category limits ({@code categoryMinutes.<category>}) for transactions
 *                         whose service item has none
 * @param fallback         the limit of the rest, or null for none
 * @param text             the alert text template: {@code {window}}, {@code {ticket}},
 *                         {@code {minutes}}, {@code {category}}, {@code {item}}
 */
record Config(boolean useHallItems, Map<String, Duration> items, Map<String, Duration> categories, Duration fallback,
        String text) {

    static final String PID = "org.openhall.policy.timelimit";
    static final String DEFAULT_TEXT = "{window}号窗口办理{ticket}号已超过承诺时限{minutes}分钟";
    static final int MAX_MINUTES = 1440;

    @ObjectClassDefinition(id = PID, name = "Time limit policy (R6)",
            description = "An alert while a transaction runs past its service item's committed time, cleared when"
                    + " it ends. Per service item: itemMinutes.<item>; per category: categoryMinutes.<category>.")
    @interface Ocd {
        @AttributeDefinition(description = "Use the committed time (timeLimitMinutes) of the hall's service items"
                + " (org.openhall.serviceitem-*.cfg).")
        boolean serviceItems() default true;

        @AttributeDefinition(min = "0", max = "1440",
                description = "Minutes allowed to a transaction without a limit of its service item or category;"
                        + " 0: no limit.")
        int defaultMinutes() default 0;

        @AttributeDefinition(required = false,
                description = "Alert text shown on screens; {window}, {ticket}, {minutes}, {category} and {item} are"
                        + " replaced.")
        String text() default DEFAULT_TEXT;
    }

    static Config read(Map<String, ?> properties) throws ConfigProblem {
        ConfigReader r = new ConfigReader(properties);
        Map<String, Duration> items = new HashMap<>();
        Map<String, Duration> categories = new HashMap<>();
        for (String key : properties.keySet()) {
            if (key.startsWith("itemMinutes.") && key.length() > "itemMinutes.".length()) {
                items.put(key.substring("itemMinutes.".length()), minutes(r, key));
            } else if (key.startsWith("categoryMinutes.") && key.length() > "categoryMinutes.".length()) {
                categories.put(key.substring("categoryMinutes.".length()), minutes(r, key));
            }
        }
        int fallback = r.integer("defaultMinutes", 0, 0, MAX_MINUTES);
        return new Config(r.bool("serviceItems", true), Map.copyOf(items), Map.copyOf(categories),
                fallback == 0 ? null : Duration.ofMinutes(fallback), r.optional("text", DEFAULT_TEXT));
    }

    /** Minutes ("15", or "15m"), or seconds with an s ("90s"): 1 s … 1440 min. */
    private static Duration minutes(ConfigReader r, String key) throws ConfigProblem {
        String v = r.required(key).trim().toLowerCase(java.util.Locale.ROOT);
        boolean seconds = v.endsWith("s");
        String number = seconds || v.endsWith("m") ? v.substring(0, v.length() - 1).trim() : v;
        long n;
        try {
            n = Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw new ConfigProblem(key, "'" + v + "' is not a number of minutes (15) or seconds (90s)");
        }
        Duration d = seconds ? Duration.ofSeconds(n) : Duration.ofMinutes(n);
        if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofMinutes(MAX_MINUTES)) > 0) {
            throw new ConfigProblem(key, v + " is outside 1s..1440 minutes");
        }
        return d;
    }

    /**
     * The committed time of a transaction, or null when it has none: the policy's own limit of the
     * service item, the hall's limit of the service item, the category's, then the default.
     *
     * @param hallItems the hall's service items' limits by item id
     */
    Duration limit(String categoryId, String serviceItemId, Map<String, Duration> hallItems) {
        if (serviceItemId != null) {
            Duration d = items.get(serviceItemId);
            if (d == null && useHallItems) {
                d = hallItems.get(serviceItemId);
            }
            if (d != null) {
                return d;
            }
        }
        Duration d = categoryId == null ? null : categories.get(categoryId);
        return d != null ? d : fallback;
    }

    String text(TimeLimitRule.Running r) {
        return text.replace("{window}", r.windowId()).replace("{ticket}", r.ticket())
                .replace("{minutes}", Long.toString((r.limit().toSeconds() + 59) / 60))
                .replace("{category}", r.categoryId() == null ? "" : r.categoryId())
                .replace("{item}", r.serviceItemId() == null ? "" : r.serviceItemId());
    }
}
