package org.openhall.queue.core.internal.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.openhall.queue.core.domain.CategoryConfig;
import org.openhall.queue.core.domain.HallConfig;
import org.openhall.queue.core.domain.ServiceItemConfig;
import org.openhall.queue.core.domain.StaffConfig;
import org.openhall.queue.core.domain.WindowConfig;
import org.openhall.queue.core.internal.config.ConfigParsers.HallSettings;
import org.openhall.queue.core.internal.config.ConfigParsers.ServiceItemPart;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the parts of the hall's configuration (one per file) and assembles the whole
 * {@link HallConfig}. A part that references something missing or repeats an id is refused with
 * its file, key and reason in the log, and the last good whole configuration stays in force.
 * Listeners (the queue core) get every new good configuration.
 */
@Component(service = HallConfigRegistry.class)
public final class HallConfigRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(HallConfigRegistry.class);

    /** A part of the configuration and the file it came from. */
    record Part(String pid, String source, Object value) {
    }

    private final Map<String, Part> parts = new LinkedHashMap<>();
    private final List<Consumer<HallConfig>> listeners = new CopyOnWriteArrayList<>();
    private HallConfig current;

    /** Adds or replaces the part of one configuration; returns whether the hall took it. */
    public synchronized boolean put(String pid, String source, Object value) {
        Part previous = parts.put(pid, new Part(pid, source, value));
        if (assemble()) {
            return true;
        }
        if (previous == null) {
            parts.remove(pid);
        } else {
            parts.put(pid, previous);
        }
        return false;
    }

    public synchronized void remove(String pid) {
        Part removed = parts.remove(pid);
        if (removed != null && !assemble()) {
            // Removing it would leave the rest inconsistent (e.g. a window serving a category
            // whose file was deleted): keep the last good configuration until that is fixed.
            LOG.warn("Removal of {} leaves the hall configuration inconsistent; the last good one stays in force",
                    removed.source());
        }
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

    /** @return false when the parts are inconsistent (logged); the current configuration is unchanged */
    private boolean assemble() {
        HallSettings hall = null;
        Map<String, CategoryConfig> categories = new LinkedHashMap<>();
        Map<String, List<ServiceItemConfig>> items = new HashMap<>();
        Map<String, String> itemIds = new HashMap<>();
        Map<String, WindowConfig> windows = new LinkedHashMap<>();
        Map<String, StaffConfig> staff = new LinkedHashMap<>();
        List<Part> itemParts = new ArrayList<>();
        List<Part> windowParts = new ArrayList<>();
        for (Part p : parts.values()) {
            Object v = p.value();
            if (v instanceof HallSettings h) {
                hall = h;
            } else if (v instanceof CategoryConfig c) {
                if (categories.putIfAbsent(c.id(), c) != null) {
                    return refuse(p, "id", "category " + c.id() + " is defined twice");
                }
            } else if (v instanceof ServiceItemPart s) {
                if (itemIds.putIfAbsent(s.item().id(), p.source()) != null) {
                    return refuse(p, "id", "service item " + s.item().id() + " is also defined in "
                            + itemIds.get(s.item().id()));
                }
                itemParts.add(p);
            } else if (v instanceof WindowConfig w) {
                if (windows.putIfAbsent(w.id(), w) != null) {
                    return refuse(p, "id", "window " + w.id() + " is defined twice");
                }
                windowParts.add(p);
            } else if (v instanceof StaffConfig s) {
                if (staff.putIfAbsent(s.id(), s) != null) {
                    return refuse(p, "id", "staff member " + s.id() + " is defined twice");
                }
            }
        }
        for (Part p : itemParts) {
            ServiceItemPart s = (ServiceItemPart) p.value();
            if (!categories.containsKey(s.categoryId())) {
                return refuse(p, "category", "there is no category " + s.categoryId());
            }
            items.computeIfAbsent(s.categoryId(), k -> new ArrayList<>()).add(s.item());
        }
        for (Part p : windowParts) {
            for (String c : ((WindowConfig) p.value()).categories()) {
                if (!categories.containsKey(c)) {
                    return refuse(p, "categories", "there is no category " + c);
                }
            }
        }
        if (hall == null) {
            return true; // nothing to assemble yet: the core waits for etc/org.openhall.hall.cfg
        }
        List<CategoryConfig> withItems = categories.values().stream()
                .map(c -> new CategoryConfig(c.id(), c.name(), items.getOrDefault(c.id(), List.of())))
                .sorted((a, b) -> a.id().compareTo(b.id()))
                .toList();
        HallConfig config = new HallConfig(hall.hallId(), hall.hallName(), hall.zone(), hall.hours(), hall.holidays(),
                withItems, sortedWindows(windows), List.copyOf(staff.values()), hall.settings());
        if (!config.equals(current)) {
            current = config;
            LOG.info("Hall configuration in force: hall {} with {} categories, {} windows, {} staff", config.hallId(),
                    config.categories().size(), config.windows().size(), config.staff().size());
            for (Consumer<HallConfig> l : listeners) {
                try {
                    l.accept(config);
                } catch (RuntimeException e) {
                    LOG.error("A configuration listener failed", e);
                }
            }
        }
        return true;
    }

    private static List<WindowConfig> sortedWindows(Map<String, WindowConfig> windows) {
        List<WindowConfig> list = new ArrayList<>(windows.values());
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

    private static boolean refuse(Part part, String key, String reason) {
        LOG.error("Rejected configuration {}: key '{}': {}; the last good configuration stays in force",
                part.source(), key, reason);
        return false;
    }
}
