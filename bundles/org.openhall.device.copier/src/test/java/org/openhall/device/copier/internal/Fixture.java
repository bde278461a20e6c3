package org.openhall.device.copier.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.device.DeviceState;

/** A module's poller on a real store and a real bus, with a sink that records what it is told. */
final class Fixture implements AutoCloseable {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    final CopyStore store;
    final CopierHub hub;
    final Config.Module module;
    final Bus bus;
    final ModulePoller poller;
    final List<DeviceState> statuses = new CopyOnWriteArrayList<>();
    final Map<String, Long> counted = new ConcurrentHashMap<>();

    /** Copier c1: 16-bit counter at holding 0, jam at discrete 0, tray empty at discrete 1; c2: 32-bit at holding 2 (high word first). */
    static Map<String, Object> config(String id, Path port, int unit) {
        Map<String, Object> m = new HashMap<>();
        m.put("module.id", id);
        m.put("link", "serial:" + port);
        m.put("unitId", String.valueOf(unit));
        m.put("copiers", id + "-c1," + id + "-c2");
        m.put("copier." + id + "-c1.counter", "holding:0");
        m.put("copier." + id + "-c1.jam", "discrete:0");
        m.put("copier." + id + "-c1.trayEmpty", "discrete:1");
        m.put("copier." + id + "-c1.name", "1号复印机");
        m.put("copier." + id + "-c2.counter", "holding:2");
        m.put("copier." + id + "-c2.width", "32");
        m.put("pollMillis", "100");
        m.put("timeoutMillis", "200");
        m.put("attempts", "2");
        return m;
    }

    Fixture(Path db, Map<String, Object> config) throws Exception {
        this(CopyStore.open(db), null, config);
    }

    Fixture(CopyStore store, CopierHub sharedHub, Map<String, Object> config) throws ConfigProblem {
        this.store = store;
        this.hub = sharedHub != null ? sharedHub : new CopierHub(store);
        module = Config.module(config);
        bus = hub.attach(module.link());
        poller = new ModulePoller(module, bus, store, Clock.systemUTC(), new ModulePoller.Sink() {
            @Override
            public void status(Config.Copier copier, DeviceState state, boolean first) {
                statuses.add(state);
            }

            @Override
            public void counted(Config.Copier copier, long pages, LocalDate day) {
                counted.merge(copier.id(), pages, Long::sum);
            }
        });
        hub.register(poller);
        poller.start();
    }

    /** Waits until a whole poll ran after now. */
    void nextPoll() {
        long n = poller.polls();
        Wait.until("two more polls of " + module.id(), Duration.ofSeconds(20), () -> poller.polls() >= n + 2);
    }

    DeviceState state(String copier) {
        return poller.devices().stream().filter(d -> d.id().equals(copier)).findFirst().orElseThrow().state();
    }

    long today(String copier) {
        return store.pages(LocalDate.now(ZONE), List.of(copier)).get(copier);
    }

    long total(String copier) {
        CopyStore.Counter c = store.counter(copier);
        return c == null ? 0 : c.total();
    }

    /** Stops the poller and closes the bus and the store, as when the hall stops. */
    @Override
    public void close() {
        poller.close();
        hub.unregister(poller);
        hub.detach(bus);
        store.close();
    }
}
