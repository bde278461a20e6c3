package org.openhall.api.copy;

import java.time.LocalDate;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Pages copied per copier and per day (R19), as counted by the copy counter driver and kept
 * durably by it: counts only grow, across module resets, power cuts and counter wrap-around.
 * Registered once by the driver bundle while it runs; the MQTT bridge and the console bind it
 * optionally (a hall without copiers has none).
 *
 * <p>Answers from memory, without I/O, and never throws.
 */
@ProviderType
public interface CopyCounts {

    /**
     * Event Admin topic posted after a poll counted new pages (under {@code org/openhall/device/},
     * so that device listeners receive it), with the properties {@value #COPIER} and
     * {@value #PAGES} (Long, the pages just counted) and {@value #DAY} (String, ISO date).
     */
    String TOPIC = "org/openhall/device/copies";
    /** Event type of {@link #TOPIC}. */
    String TYPE = "copies.counted";

    /** String: the copier's device id. */
    String COPIER = "device";
    /** Long: the pages just counted. */
    String PAGES = "pages";
    /** String: the day they were counted for (ISO date, the hall's time zone). */
    String DAY = "day";

    /**
     * The pages of each configured copier on {@code day} (the hall's calendar day); a configured
     * copier without pages that day is present with 0. Sorted by copier id.
     */
    Map<String, Long> pages(LocalDate day);

    /** The pages of each configured copier since the hall began counting it. Sorted by copier id. */
    Map<String, Long> totals();
}
