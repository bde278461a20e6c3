package org.openhall.device.copier.internal;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.openhall.api.copy.CopyCounts;
import org.openhall.api.device.DeviceState;
import org.openhall.api.runtime.HallHome;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the copy counter modules of the hall share: the page count store
 * ({@code data/copier/copies.db}), the Modbus buses (one master per port, however many modules
 * hang on it), and the {@link CopyCounts} service the statistics read. Also {@code hall:copies}.
 */
@Component(service = { CopierHub.class, CopyCounts.class }, immediate = true,
        property = { "osgi.command.scope=hall", "osgi.command.function=copies" })
public final class CopierHub implements CopyCounts {

    private static final Logger LOG = LoggerFactory.getLogger(CopierHub.class);

    private final CopyStore store;
    private final Map<String, Bus> buses = new HashMap<>();
    /** Copier id to its module's poller. */
    private final Map<String, ModulePoller> copiers = new ConcurrentHashMap<>();

    @Activate
    public CopierHub(@Reference HallHome home) {
        CopyStore s = null;
        try {
            s = CopyStore.open(home.data().resolve("copier").resolve("copies.db"));
            LOG.info("Copy counts {} opened", s.file());
        } catch (Exception e) {
            LOG.error("Copy counts cannot be kept: {} cannot be opened: {}; copy counters stay off",
                    home.data().resolve("copier").resolve("copies.db"), e.toString());
        }
        store = s;
    }

    /** Tests: a hub on a store of their own. */
    CopierHub(CopyStore store) {
        this.store = store;
    }

    /** The store, or null when it could not be opened. */
    CopyStore store() {
        return store;
    }

    /** Joins (or opens) the bus of {@code link}; the same port with other line settings is refused. */
    synchronized Bus attach(Config.Link link) {
        Bus b = buses.get(link.key());
        if (b == null) {
            b = new Bus(link);
            buses.put(link.key(), b);
        } else if (!b.link.sameLine(link)) {
            throw new IllegalStateException(link + " is in use with other line settings (baud, data bits, stop bits, parity)");
        }
        b.users++;
        return b;
    }

    synchronized void detach(Bus b) {
        if (--b.users <= 0) {
            buses.remove(b.link.key(), b);
            b.close();
        }
    }

    /** Registers a module's copiers; a copier id another module counts already is refused. */
    synchronized void register(ModulePoller p) {
        for (CopierDevice d : p.devices()) {
            ModulePoller other = copiers.get(d.id());
            if (other != null && other != p) {
                throw new IllegalStateException("copier " + d.id() + " is counted by module " + other.module().id() + " already");
            }
        }
        p.devices().forEach(d -> copiers.put(d.id(), p));
    }

    synchronized void unregister(ModulePoller p) {
        copiers.values().removeIf(x -> x == p);
    }

    @Override
    public Map<String, Long> pages(LocalDate day) {
        CopyStore s = store;
        return s == null ? Map.of() : s.pages(day, new ArrayList<>(copiers.keySet()));
    }

    @Override
    public Map<String, Long> totals() {
        CopyStore s = store;
        return s == null ? Map.of() : s.totals(new ArrayList<>(copiers.keySet()));
    }

    /** hall:copies — pages today and in all per copier, with its status, and the total. */
    public String copies() {
        Map<String, ModulePoller> snapshot = new TreeMap<>(copiers);
        if (snapshot.isEmpty()) {
            return store == null ? "copy counts unavailable: the store could not be opened (see the log)" : "no copiers configured";
        }
        StringBuilder sb = new StringBuilder(String.format("%-16s %-12s %-8s %-12s %10s %12s%n", "copier", "module", "status", "detail",
                "today", "total"));
        long today = 0;
        long total = 0;
        for (Map.Entry<String, ModulePoller> e : snapshot.entrySet()) {
            ModulePoller p = e.getValue();
            ZoneId zone = p.module().zone();
            long t = pages(LocalDate.now(zone)).getOrDefault(e.getKey(), 0L);
            long all = totals().getOrDefault(e.getKey(), 0L);
            today += t;
            total += all;
            DeviceState s = p.devices().stream().filter(d -> d.id().equals(e.getKey())).findFirst().map(CopierDevice::state).orElse(null);
            sb.append(String.format("%-16s %-12s %-8s %-12s %10d %12d%n", e.getKey(), p.module().id(), s == null ? "?" : s.status(),
                    s == null ? "?" : s.detail(), t, all));
        }
        sb.append(String.format("%-16s %-12s %-8s %-12s %10d %12d", "total", "", "", "", today, total));
        return sb.toString();
    }

    @Deactivate
    void deactivate() {
        // Module components depend on the hub: they are deactivated (their pollers joined) before it.
        synchronized (this) {
            buses.values().forEach(Bus::close);
            buses.clear();
        }
        if (store != null) {
            store.close();
        }
    }

    /** Every configured copier id (tests). */
    List<String> copierIds() {
        return new ArrayList<>(new TreeMap<>(copiers).keySet());
    }
}
