package org.openhall.queue.core.domain;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The hall's configuration as the queue core uses it: immutable, already validated. Built from
 * Config Admin configurations (files in etc/) by the core's configuration component; tests build
 * it directly.
 *
 * @param hallId     the hall's id (MQTT topic root), [a-z0-9-]+
 * @param hallName   display name
 * @param zone       the hall's time zone: business days and opening hours are local to it
 * @param hours      opening hours per weekday; a missing weekday is closed (R13)
 * @param holidays   days the hall is closed
 * @param categories categories, in display order
 * @param windows    windows, in display order
 * @param staff      staff who may sign in (R17)
 * @param settings   queue settings
 */
public record HallConfig(String hallId, String hallName, ZoneId zone, Map<DayOfWeek, List<OpeningHours>> hours,
        Set<LocalDate> holidays, List<CategoryConfig> categories, List<WindowConfig> windows, List<StaffConfig> staff,
        QueueSettings settings) {

    public HallConfig {
        hours = Map.copyOf(hours);
        holidays = Set.copyOf(holidays);
        categories = List.copyOf(categories);
        windows = List.copyOf(windows);
        staff = List.copyOf(staff);
    }

    public Optional<CategoryConfig> category(String id) {
        return categories.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    public Optional<WindowConfig> window(String id) {
        return windows.stream().filter(w -> w.id().equals(id)).findFirst();
    }

    public Optional<StaffConfig> staffMember(String id) {
        return staff.stream().filter(s -> s.id().equals(id)).findFirst();
    }
}
