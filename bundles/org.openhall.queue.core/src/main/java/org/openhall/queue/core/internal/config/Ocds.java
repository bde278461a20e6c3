package org.openhall.queue.core.internal.config;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype descriptions of the hall's configuration files, so that consoles (and integrators
 * reading {@code OSGI-INF/metatype}) can list every key. The parsers in {@link ConfigParsers} are
 * what enforce them.
 */
final class Ocds {

    private Ocds() {
    }

    @ObjectClassDefinition(id = "org.openhall.hall", name = "OpenHall hall",
            description = "The hall: identity, opening hours (R13) and the queue core's own rules. File etc/org.openhall.hall.cfg")
    @interface Hall {
        @AttributeDefinition(name = "Hall id", description = "Lower-case letters, digits and '-'; the MQTT topic root openhall/v1/{hall.id}")
        String hall_id();

        @AttributeDefinition(name = "Hall name", description = "Display name, e.g. 某某区政务服务中心")
        String hall_name();

        @AttributeDefinition(name = "Time zone", description = "Business days and opening hours are local to it", required = false)
        String hall_zone() default "Asia/Shanghai";

        @AttributeDefinition(name = "Monday hours", description = "e.g. 09:00-12:00,13:30-17:30; empty: closed", required = false)
        String hours_monday();

        @AttributeDefinition(name = "Tuesday hours", required = false)
        String hours_tuesday();

        @AttributeDefinition(name = "Wednesday hours", required = false)
        String hours_wednesday();

        @AttributeDefinition(name = "Thursday hours", required = false)
        String hours_thursday();

        @AttributeDefinition(name = "Friday hours", required = false)
        String hours_friday();

        @AttributeDefinition(name = "Saturday hours", required = false)
        String hours_saturday();

        @AttributeDefinition(name = "Sunday hours", required = false)
        String hours_sunday();

        @AttributeDefinition(name = "Holidays", description = "Closed days, e.g. 2026-10-01,2026-10-02", required = false)
        String[] holidays();

        @AttributeDefinition(name = "Priority calls in a row", description = "Fairness (R1): after this many priority calls the oldest normal ticket goes first", type = AttributeType.INTEGER, min = "1", required = false)
        int fairness_maxConsecutivePriorityCalls() default 3;

        @AttributeDefinition(name = "Longest normal wait (min)", description = "Fairness (R1): a normal ticket waiting longer goes before priority tickets", type = AttributeType.INTEGER, min = "1", required = false)
        int fairness_maxNormalWaitMinutes() default 30;

        @AttributeDefinition(name = "No-show re-activation (min)", description = "R11: how long a no-show may be re-activated", type = AttributeType.INTEGER, min = "0", required = false)
        int noshow_reactivationMinutes() default 30;

        @AttributeDefinition(name = "Places behind the head", description = "R11: where a re-activated ticket goes", type = AttributeType.INTEGER, min = "0", required = false)
        int noshow_placesBehindHead() default 2;

        @AttributeDefinition(name = "Handling-time samples", description = "Transactions in the rolling average used for waiting estimates", type = AttributeType.INTEGER, min = "1", required = false)
        int estimate_handlingSamples() default 20;

        @AttributeDefinition(name = "Default handling time (min)", description = "Assumed before any transaction of a category finished", type = AttributeType.INTEGER, min = "1", required = false)
        int estimate_defaultHandlingMinutes() default 5;

        @AttributeDefinition(name = "Retention (days)", description = "Days of tickets, statistics and journal kept", type = AttributeType.INTEGER, min = "1", required = false)
        int retention_days() default 90;
    }

    @ObjectClassDefinition(id = "org.openhall.category", name = "OpenHall category",
            description = "A category (业务类别), one queue. Files etc/org.openhall.category-<letter>.cfg")
    @interface Category {
        @AttributeDefinition(name = "Id", description = "One upper-case letter: the ticket prefix")
        String id();

        @AttributeDefinition(name = "Name", description = "Display name, e.g. 社保业务")
        String name();

        @AttributeDefinition(name = "Number digits", description = "Digits of its ticket numbers: 3 (A001…A999 a day) or 4 (A0001…A9999) for a busy category", type = AttributeType.INTEGER, min = "3", max = "4", required = false)
        int numberDigits() default 3;
    }

    @ObjectClassDefinition(id = "org.openhall.serviceitem", name = "OpenHall service item",
            description = "A service item (事项) of a category. Files etc/org.openhall.serviceitem-<id>.cfg")
    @interface ServiceItem {
        @AttributeDefinition(name = "Id")
        String id();

        @AttributeDefinition(name = "Category", description = "Letter of its category")
        String category();

        @AttributeDefinition(name = "Name")
        String name();

        @AttributeDefinition(name = "Time limit (min)", description = "Committed handling time (R6)", type = AttributeType.INTEGER, min = "1", required = false)
        int timeLimitMinutes() default 15;

        @AttributeDefinition(name = "Materials", description = "Checklist of materials (R8), comma-separated", required = false)
        String[] materials();
    }

    @ObjectClassDefinition(id = "org.openhall.window", name = "OpenHall window",
            description = "A window (窗口). Files etc/org.openhall.window-<id>.cfg")
    @interface Window {
        @AttributeDefinition(name = "Id", description = "Its number as displayed, e.g. 3")
        String id();

        @AttributeDefinition(name = "Name", required = false, description = "Default: <id>号窗口")
        String name();

        @AttributeDefinition(name = "Categories", description = "Letters of the categories it serves, e.g. A,B")
        String[] categories();

        @AttributeDefinition(name = "Standby", description = "A tidal window opened when a queue is long (R2)", required = false)
        boolean standby() default false;
    }

    @ObjectClassDefinition(id = "org.openhall.staff", name = "OpenHall staff member",
            description = "Staff who may sign in at a window (R17). Files etc/org.openhall.staff-<id>.cfg")
    @interface Staff {
        @AttributeDefinition(name = "Id", description = "Staff number, shown on displays (R12)")
        String id();

        @AttributeDefinition(name = "Name", description = "Shown on displays (R12)")
        String name();

        @AttributeDefinition(name = "Credential", description = "Hashed PIN or password (pbkdf2-sha256$...), made with hall:hashpin; never the PIN itself", type = AttributeType.PASSWORD)
        String credential();
    }
}
