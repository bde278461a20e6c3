package org.openhall.queue.core.internal.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.openhall.queue.core.domain.CategoryConfig;
import org.openhall.queue.core.domain.HallConfig;
import org.openhall.queue.core.domain.ServiceItemConfig;
import org.openhall.queue.core.domain.StaffConfig;
import org.openhall.queue.core.domain.WindowConfig;
import org.openhall.queue.core.internal.config.ConfigParsers.HallSettings;
import org.openhall.queue.core.internal.config.ConfigParsers.ServiceItemPart;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the parts of the hall's configuration (one per file) and assembles the whole
 * {@link HallConfig}. Config Admin delivers files in no particular order, so a part whose
 * references are not there yet (a window before its categories) waits, and is included as soon as
 * they arrive. A new version of a file that does not fit the rest (a window edited to serve a
 * category that does not exist, a second window with the same id) is refused with its file, key
 * and reason in the log, and the last version of that file that did fit stays in force.
 * Listeners (the queue core) get every new configuration.
 */
@Component(service = HallConfigRegistry.class)
public final class HallConfigRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(HallConfigRegistry.class);

    /** A version of a configuration file's part. */
    record Part(String pid, String source, Object value) {
    }

    /** Per file: the latest version, and the last version that was in force. */
    private static final class Slot {
        Part latest;
        Part inForce;
        String reported; // the last problem logged for it, so each is logged once
        String waiting; // why the latest version is not in force (and none is), else null
    }

    /** Files arrive in any order at start: a part still waiting this long after the last change is reported. */
    static final long SETTLE_MS = 2_000;

    private ScheduledExecutorService reporter;
    private HallConfig reportedConfig;
    private ScheduledFuture<?> pendingReport;

    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final List<Consumer<HallConfig>> listeners = new CopyOnWriteArrayList<>();
    private HallConfig current;

    @Activate
    synchronized void activate() {
        reporter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hall-config-report");
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    synchronized void deactivate() {
        reporter.shutdownNow();
        reporter = null;
    }

    /**
     * Once the configuration has settled: says which configuration is in force (once per change)
     * and logs every part that still waits for something it refers to (once per problem).
     */
    synchronized void reportWaiting() {
        if (current != null && current != reportedConfig) {
            reportedConfig = current;
            LOG.info("Hall configuration in force: hall {} with {} categories, {} windows, {} staff", current.hallId(),
                    current.categories().size(), current.windows().size(), current.staff().size());
        }
        for (Slot slot : slots.values()) {
            if (slot.waiting != null && !slot.waiting.equals(slot.reported)) {
                slot.reported = slot.waiting;
                LOG.warn("Configuration {}; it is not in force until that is fixed", slot.waiting);
            }
        }
    }

    private void scheduleReport() {
        if (current == reportedConfig
                && slots.values().stream().noneMatch(s -> s.waiting != null && !s.waiting.equals(s.reported))) {
            return;
        }
        if (reporter == null) {
            reportWaiting(); // outside the framework (unit tests): at once
        } else {
            // Debounced: one report SETTLE_MS after the last change.
            if (pendingReport != null) {
                pendingReport.cancel(false);
            }
            pendingReport = reporter.schedule(this::reportWaiting, SETTLE_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** The PIDs of the configurations the hall is made of, as a Config Admin filter. */
    public static final String PIDS_FILTER = "(|(service.pid=org.openhall.hall)"
            + "(service.factoryPid=org.openhall.category)(service.factoryPid=org.openhall.serviceitem)"
            + "(service.factoryPid=org.openhall.window)(service.factoryPid=org.openhall.staff))";

    /**
     * Waits until every one of {@code pids} has been handed in (valid or not), so that the hall is
     * not started on half of its files.
     *
     * @return whether all arrived within the timeout
     */
    public synchronized boolean awaitSeen(Set<String> pids, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!seen.containsAll(pids)) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** PIDs handed in so far, including parts that failed to parse. */
    private final Set<String> seen = new HashSet<>();

    /** Records that a configuration was handed in even though it could not be parsed. */
    public synchronized void seen(String pid) {
        seen.add(pid);
        notifyAll();
    }

    /** Adds or replaces the part of one configuration; returns whether this version is in force. */
    public synchronized boolean put(String pid, String source, Object value) {
        Slot slot = slots.computeIfAbsent(pid, k -> new Slot());
        slot.latest = new Part(pid, source, value);
        seen.add(pid);
        notifyAll();
        assemble();
        scheduleReport();
        return slot.inForce == slot.latest;
    }

    public synchronized void remove(String pid) {
        seen.remove(pid);
        Slot slot = slots.remove(pid);
        if (slot != null) {
            LOG.warn(deleted(slot.inForce != null ? slot.inForce : slot.latest));
            assemble();
            scheduleReport();
        }
    }

    /** What the deletion of a configuration file means for the hall, for the log. */
    static String deleted(Part part) {
        String what = part.value() instanceof HallSettings h ? "the hall settings of hall " + h.hallId()
                : part.value() instanceof CategoryConfig c ? "category " + c.id()
                : part.value() instanceof ServiceItemPart s ? "service item " + s.item().id()
                : part.value() instanceof WindowConfig w ? "window " + w.id()
                : part.value() instanceof StaffConfig st ? "staff member " + st.id() : part.pid();
        if (part.value() instanceof HallSettings) {
            return "Configuration " + part.source() + " was deleted: the hall keeps its last configuration in force ("
                    + what + ", with every category, window and staff member), and changes to the other files wait"
                    + " until the file is back";
        }
        return "Configuration " + part.source() + " was deleted: " + what + " is taken out of the hall configuration";
    }

    public synchronized Optional<HallConfig> current() {
        return Optional.ofNullable(current);
    }

    /** Adds a listener and, if there is a configuration already, calls it at once. */
    public void addListener(Consumer<HallConfig> listener) {
        listeners.add(listener);
        current().ifPresent(listener);
    }

    public void removeListener(Consumer<HallConfig> listener) {
        listeners.remove(listener);
    }

    /** The ids taken so far while assembling, per kind, with the file that took each. */
    private static final class Taken {
        final Map<String, String> categories = new HashMap<>();
        final Map<String, String> items = new HashMap<>();
        final Map<String, String> windows = new HashMap<>();
        final Map<String, String> staff = new HashMap<>();
    }

    private void assemble() {
        Taken taken = new Taken();
        HallSettings hall = null;
        Map<String, CategoryConfig> categories = new LinkedHashMap<>();
        Map<String, List<ServiceItemConfig>> items = new HashMap<>();
        List<WindowConfig> windows = new ArrayList<>();
        List<StaffConfig> staff = new ArrayList<>();
        // Categories and the hall first: the other parts refer to them.
        for (Slot slot : slots.values()) {
            if (slot.latest.value() instanceof HallSettings h) {
                hall = h;
                slot.inForce = slot.latest;
            } else if (slot.latest.value() instanceof CategoryConfig) {
                Part chosen = choose(slot, p -> problem(p, taken));
                if (chosen != null) {
                    CategoryConfig c = (CategoryConfig) chosen.value();
                    taken.categories.put(c.id(), chosen.source());
                    categories.put(c.id(), c);
                }
            }
        }
        for (Slot slot : slots.values()) {
            Object v = slot.latest.value();
            if (v instanceof HallSettings || v instanceof CategoryConfig) {
                continue;
            }
            Part chosen = choose(slot, p -> problem(p, taken));
            if (chosen == null) {
                continue;
            }
            if (chosen.value() instanceof ServiceItemPart s) {
                taken.items.put(s.item().id(), chosen.source());
                items.computeIfAbsent(s.categoryId(), k -> new ArrayList<>()).add(s.item());
            } else if (chosen.value() instanceof WindowConfig w) {
                taken.windows.put(w.id(), chosen.source());
                windows.add(w);
            } else if (chosen.value() instanceof StaffConfig st) {
                taken.staff.put(st.id(), chosen.source());
                staff.add(st);
            }
        }
        if (hall == null) {
            return; // the core waits for etc/org.openhall.hall.cfg
        }
        List<CategoryConfig> withItems = categories.values().stream()
                .map(c -> new CategoryConfig(c.id(), c.name(), items.getOrDefault(c.id(), List.of()), c.numberDigits()))
                .sorted((a, b) -> a.id().compareTo(b.id()))
                .toList();
        HallConfig config = new HallConfig(hall.hallId(), hall.hallName(), hall.zone(), hall.hours(), hall.holidays(),
                withItems, sortedWindows(windows), staff, hall.settings());
        if (!config.equals(current)) {
            current = config;
            for (Consumer<HallConfig> l : listeners) {
                try {
                    l.accept(config);
                } catch (RuntimeException e) {
                    LOG.error("A configuration listener failed", e);
                }
            }
        }
    }

    /**
     * The version of a file to use: the latest if it fits, else the last one in force if that
     * still fits (the new version is refused), else none for now (it waits for what it needs).
     */
    private Part choose(Slot slot, java.util.function.Function<Part, String[]> problemOf) {
        String[] problem = problemOf.apply(slot.latest);
        if (problem == null) {
            slot.inForce = slot.latest;
            slot.reported = null;
            slot.waiting = null;
            return slot.latest;
        }
        String report = slot.latest.source() + ": key '" + problem[0] + "': " + problem[1];
        boolean fallback = slot.inForce != null && slot.inForce != slot.latest && problemOf.apply(slot.inForce) == null;
        if (fallback) {
            slot.waiting = null;
            if (!report.equals(slot.reported)) {
                slot.reported = report;
                LOG.error("Rejected configuration {}; the last good version of it stays in force", report);
            }
            return slot.inForce;
        }
        slot.waiting = report; // reported once the configuration has settled, if it still waits
        return null;
    }

    /** What is wrong with a part given what was taken before it: {key, reason}, or null. */
    private static String[] problem(Part part, Taken taken) {
        Object v = part.value();
        if (v instanceof CategoryConfig c) {
            return duplicate("category", c.id(), taken.categories);
        }
        if (v instanceof ServiceItemPart s) {
            if (!taken.categories.containsKey(s.categoryId())) {
                return new String[] { "category", "there is no category " + s.categoryId() };
            }
            return duplicate("service item", s.item().id(), taken.items);
        }
        if (v instanceof WindowConfig w) {
            for (String c : w.categories()) {
                if (!taken.categories.containsKey(c)) {
                    return new String[] { "categories", "there is no category " + c };
                }
            }
            return duplicate("window", w.id(), taken.windows);
        }
        if (v instanceof StaffConfig st) {
            return duplicate("staff member", st.id(), taken.staff);
        }
        return null;
    }

    private static String[] duplicate(String what, String id, Map<String, String> taken) {
        String other = taken.get(id);
        return other == null ? null : new String[] { "id", what + " " + id + " is already defined in " + other };
    }

    private static List<WindowConfig> sortedWindows(List<WindowConfig> windows) {
        List<WindowConfig> list = new ArrayList<>(windows);
        // Numeric ids in numeric order (2 before 10), others after them by name.
        list.sort((a, b) -> {
            boolean an = a.id().chars().allMatch(Character::isDigit);
            boolean bn = b.id().chars().allMatch(Character::isDigit);
            if (an && bn) {
                return Long.compare(Long.parseLong(a.id()), Long.parseLong(b.id()));
            }
            return an != bn ? (an ? -1 : 1) : a.id().compareTo(b.id());
        });
        return list;
    }
}
