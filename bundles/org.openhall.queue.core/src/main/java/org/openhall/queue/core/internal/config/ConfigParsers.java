package org.openhall.queue.core.internal.config;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.queue.core.domain.CategoryConfig;
import org.openhall.queue.core.domain.OpeningHours;
import org.openhall.queue.core.domain.QueueSettings;
import org.openhall.queue.core.domain.ServiceItemConfig;
import org.openhall.queue.core.domain.StaffConfig;
import org.openhall.queue.core.domain.WindowConfig;

/**
 * Turns the properties of one configuration file into one part of the hall's configuration, or
 * fails with the key and the reason. The keys are described for consoles by the Metatype
 * definitions in {@link Ocds}; docs/queue.md lists them with examples.
 */
final class ConfigParsers {

    static final Pattern HALL_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    static final Pattern CATEGORY_ID = Pattern.compile("[A-Z]");
    static final Pattern ITEM_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");
    static final Pattern WINDOW_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,15}");
    static final Pattern STAFF_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");
    static final String CREDENTIAL_PREFIX = "pbkdf2-sha256$";

    private ConfigParsers() {
    }

    /** The hall itself ({@code org.openhall.hall}). */
    record HallSettings(String hallId, String hallName, ZoneId zone, Map<DayOfWeek, List<OpeningHours>> hours,
            Set<LocalDate> holidays, QueueSettings settings) {
    }

    /** A service item and the category it belongs to ({@code org.openhall.serviceitem-*}). */
    record ServiceItemPart(String categoryId, ServiceItemConfig item) {
    }

    static HallSettings hall(Map<String, ?> properties) throws ConfigProblem {
        ConfigReader p = new ConfigReader(properties);
        String id = p.matching("hall.id", HALL_ID, "a hall id (lower-case letters, digits and '-')");
        String name = p.required("hall.name");
        ZoneId zone = p.zone("hall.zone", "Asia/Shanghai");
        Map<DayOfWeek, List<OpeningHours>> hours = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            List<OpeningHours> periods = Props.hours(p, "hours." + day.name().toLowerCase(Locale.ROOT));
            if (!periods.isEmpty()) {
                hours.put(day, periods);
            }
        }
        Set<LocalDate> holidays = new HashSet<>(Props.dates(p, "holidays"));
        QueueSettings d = QueueSettings.DEFAULTS;
        QueueSettings settings = new QueueSettings(
                p.integer("fairness.maxConsecutivePriorityCalls", d.maxConsecutivePriorityCalls(), 1, 1000),
                Props.minutes(p, "fairness.maxNormalWaitMinutes", (int) d.maxNormalWait().toMinutes(), 1, 24 * 60),
                Props.minutes(p, "noshow.reactivationMinutes", (int) d.reactivationWindow().toMinutes(), 0, 24 * 60),
                p.integer("noshow.placesBehindHead", d.reactivationPlacesBehindHead(), 0, 1000),
                p.integer("estimate.handlingSamples", d.handlingAverageSamples(), 1, 10_000),
                Props.minutes(p, "estimate.defaultHandlingMinutes", (int) d.defaultHandlingTime().toMinutes(), 1, 24 * 60),
                p.integer("retention.days", d.retentionDays(), 1, 3660));
        return new HallSettings(id, name, zone, hours, holidays, settings);
    }

    static CategoryConfig category(Map<String, ?> properties) throws ConfigProblem {
        ConfigReader p = new ConfigReader(properties);
        String id = p.matching("id", CATEGORY_ID, "one upper-case letter A-Z (the ticket prefix)");
        int digits = p.integer("numberDigits", CategoryConfig.MIN_DIGITS, CategoryConfig.MIN_DIGITS,
                CategoryConfig.MAX_DIGITS);
        return new CategoryConfig(id, p.required("name"), List.of(), digits);
    }

    static ServiceItemPart serviceItem(Map<String, ?> properties) throws ConfigProblem {
        ConfigReader p = new ConfigReader(properties);
        String id = p.matching("id", ITEM_ID, "a service item id (letters, digits, '.', '_', '-')");
        String category = p.matching("category", CATEGORY_ID, "a category letter A-Z");
        String name = p.required("name");
        var limit = Props.minutes(p, "timeLimitMinutes", 15, 1, 24 * 60);
        List<String> materials = p.list("materials");
        if (new HashSet<>(materials).size() != materials.size()) {
            throw new ConfigProblem("materials", "lists an item twice");
        }
        return new ServiceItemPart(category, new ServiceItemConfig(id, name, limit, materials));
    }

    static WindowConfig window(Map<String, ?> properties) throws ConfigProblem {
        ConfigReader p = new ConfigReader(properties);
        String id = p.matching("id", WINDOW_ID, "a window id (letters, digits, '-')");
        String name = p.optional("name", id + "号窗口");
        List<String> categories = p.list("categories");
        if (categories.isEmpty()) {
            throw new ConfigProblem("categories", "is required: the categories this window serves, e.g. A,B");
        }
        for (String c : categories) {
            if (!CATEGORY_ID.matcher(c).matches()) {
                throw new ConfigProblem("categories", "'" + c + "' is not a category letter A-Z");
            }
        }
        if (new HashSet<>(categories).size() != categories.size()) {
            throw new ConfigProblem("categories", "lists a category twice");
        }
        return new WindowConfig(id, name, categories, p.bool("standby", false));
    }

    static StaffConfig staff(Map<String, ?> properties) throws ConfigProblem {
        ConfigReader p = new ConfigReader(properties);
        String id = p.matching("id", STAFF_ID, "a staff id (letters, digits, '.', '_', '-')");
        String name = p.required("name");
        String credential = p.required("credential");
        if (!credential.startsWith(CREDENTIAL_PREFIX) || credential.split("\\$").length != 4) {
            // Never echo the value: it may be a PIN typed in clear by mistake.
            throw new ConfigProblem("credential",
                    "is not a hashed credential (pbkdf2-sha256$...); make one with the console command hall:hashpin");
        }
        return new StaffConfig(id, name, credential);
    }
}
