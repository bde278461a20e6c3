package org.openhall.policy.closing.internal;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.openhall.api.policy.HallView;
import org.openhall.api.policy.WaitingTicket;
import org.openhall.api.queue.HallPhase;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.WindowState;
import org.openhall.api.queue.WindowView;

/**
 * A hall for the rule's tests: one opening period per weekday (open equals close: around the
 * clock; close before open: past midnight), holidays, a settable clock, waiting tickets and windows.
 * Opening hours are computed as the core computes them.
 */
final class FakeHall implements HallView {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private final Map<DayOfWeek, LocalTime[]> hours = new EnumMap<>(DayOfWeek.class);
    private final Set<LocalDate> holidays = new HashSet<>();
    private final Map<String, List<WaitingTicket>> waiting = new LinkedHashMap<>();
    private final Map<String, WindowView> windows = new LinkedHashMap<>();
    Instant now;

    FakeHall(String... categories) {
        for (String c : categories) {
            waiting.put(c, new ArrayList<>());
        }
    }

    /** The same hours every day, e.g. "09:00", "17:30". */
    FakeHall everyDay(String open, String close) {
        for (DayOfWeek d : DayOfWeek.values()) {
            day(d, open, close);
        }
        return this;
    }

    FakeHall day(DayOfWeek d, String open, String close) {
        if (open == null) {
            hours.remove(d);
        } else {
            hours.put(d, new LocalTime[] { LocalTime.parse(open), LocalTime.parse(close) });
        }
        return this;
    }

    FakeHall holiday(String date) {
        holidays.add(LocalDate.parse(date));
        return this;
    }

    /** Sets the clock to a local time of the hall, e.g. "2026-03-02T17:00" (a Monday). */
    FakeHall at(String localDateTime) {
        now = LocalDateTime.parse(localDateTime).atZone(ZONE).toInstant();
        return this;
    }

    static Instant local(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(ZONE).toInstant();
    }

    WaitingTicket waits(String number, String category, String issuedLocal) {
        return waits(number, category, issuedLocal, null);
    }

    WaitingTicket waits(String number, String category, String issuedLocal, String targetWindow) {
        Instant at = local(issuedLocal);
        WaitingTicket t = new WaitingTicket(number, category, PriorityClass.NORMAL, at, at, targetWindow, false);
        waiting.get(category).add(t);
        return t;
    }

    void served(String number) {
        waiting.values().forEach(l -> l.removeIf(t -> t.number().equals(number)));
    }

    WindowView window(String id, WindowState state, String ticket, String... categories) {
        WindowView w = new WindowView(id, id + "号窗口", state, List.of(categories), false, ticket,
                state == WindowState.CLOSED ? null : "100" + id, null, null, null, now);
        windows.put(id, w);
        return w;
    }

    Set<String> windowIds() {
        return windows.keySet();
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public ZoneId zone() {
        return ZONE;
    }

    @Override
    public HallPhase phase() {
        return HallPhase.OPEN;
    }

    @Override
    public boolean withinOpeningHours(Instant at) {
        return closingTimeAt(at).isPresent();
    }

    @Override
    public Optional<Instant> closingTime() {
        return closingTimeAt(now);
    }

    private Optional<Instant> closingTimeAt(Instant at) {
        ZonedDateTime local = at.atZone(ZONE);
        LocalDate date = local.toLocalDate();
        LocalTime t = local.toLocalTime();
        LocalTime[] p = hours.get(date.getDayOfWeek());
        if (p != null && !holidays.contains(date)) {
            if (p[0].equals(p[1])) {
                return Optional.of(date.plusDays(1).atStartOfDay(ZONE).toInstant());
            }
            if (p[0].isBefore(p[1]) && !t.isBefore(p[0]) && t.isBefore(p[1])) {
                return Optional.of(date.atTime(p[1]).atZone(ZONE).toInstant());
            }
            if (p[1].isBefore(p[0]) && !t.isBefore(p[0])) {
                return Optional.of(date.plusDays(1).atTime(p[1]).atZone(ZONE).toInstant());
            }
        }
        LocalDate yesterday = date.minusDays(1);
        LocalTime[] y = hours.get(yesterday.getDayOfWeek());
        if (y != null && !holidays.contains(yesterday) && y[1].isBefore(y[0]) && t.isBefore(y[1])) {
            return Optional.of(date.atTime(y[1]).atZone(ZONE).toInstant());
        }
        return Optional.empty();
    }

    @Override
    public List<String> categoryIds() {
        return List.copyOf(waiting.keySet());
    }

    @Override
    public List<WaitingTicket> waiting(String categoryId) {
        return List.copyOf(waiting.getOrDefault(categoryId, List.of()));
    }

    @Override
    public Optional<WindowView> window(String windowId) {
        return Optional.ofNullable(windows.get(windowId));
    }

    @Override
    public List<WindowView> windows() {
        return List.copyOf(windows.values());
    }
}
