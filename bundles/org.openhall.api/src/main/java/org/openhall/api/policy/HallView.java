package org.openhall.api.policy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import org.openhall.api.queue.HallPhase;
import org.openhall.api.queue.WindowView;

/**
 * A read-only view of the hall that the core gives a policy with each decision, taken under the
 * core's lock. Valid only during that call. Everything is computed on demand: ask for what the
 * rule needs.
 *
 * @since 1.1
 */
@org.osgi.annotation.versioning.ProviderType
public interface HallView {

    /** The core's clock (tests inject theirs into the core). */
    Instant now();

    /** The hall's time zone: opening hours and business days are local to it. */
    ZoneId zone();

    /** The phase the hall is in now. */
    HallPhase phase();

    /** Whether the configured opening hours (weekdays, holidays) include {@code at} (R13). */
    boolean withinOpeningHours(Instant at);

    /**
     * When the current opening period ends, if the hall is within opening hours now (R3).
     */
    Optional<Instant> closingTime();

    /** The configured category ids, in display order. */
    List<String> categoryIds();

    /** The tickets waiting in a category, in the core's default order. */
    List<WaitingTicket> waiting(String categoryId);

    /** A configured window as it is now. */
    Optional<WindowView> window(String windowId);

    /** Every configured window as it is now, in display order. */
    List<WindowView> windows();
}
