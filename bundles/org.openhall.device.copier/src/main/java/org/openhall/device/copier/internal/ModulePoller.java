package org.openhall.device.copier.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.openhall.api.device.DeviceDetail;
import org.openhall.api.device.DeviceState;
import org.openhall.api.device.DeviceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.ModbusSlaveException;
import com.ghgande.j2mod.modbus.procimg.InputRegister;

/**
 * Polls one copy counter module (one unit id on a bus) on its own daemon thread
 * ({@code openhall-copier-<module>}): reads each copier's counter and fault bits, records the
 * reading in the {@link CopyStore} (which turns it into pages, R19) and keeps each copier's
 * {@link DeviceState}: {@code FAULT} {@code JAM} / {@code TRAY_EMPTY} from the bits,
 * {@code OFFLINE} {@code NO_ANSWER} when the module does not answer, {@code OFFLINE}
 * {@code NO_PORT} when the bus is gone. No exception ends the thread.
 */
final class ModulePoller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModulePoller.class);

    /** Where status changes and counted pages go (events, alerts). Called on the poller's thread. */
    interface Sink {
        /** A copier's status changed, or its first status after start ({@code first}). */
        void status(Config.Copier copier, DeviceState state, boolean first);

        /** Pages were counted and are durable. */
        void counted(Config.Copier copier, long pages, LocalDate day);

        /** A poll ended (catch up on what could not be passed on before, such as alerts). */
        default void polled() {
        }
    }

    private final Config.Module module;
    private final Bus bus;
    private final CopyStore store;
    private final Clock clock;
    private final Sink sink;
    private final List<CopierDevice> devices = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final AtomicLong polls = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopping;
    private boolean firstDone;

    ModulePoller(Config.Module module, Bus bus, CopyStore store, Clock clock, Sink sink) {
        this.module = module;
        this.bus = bus;
        this.store = store;
        this.clock = clock;
        this.sink = sink;
        Instant now = clock.instant();
        for (Config.Copier c : module.copiers()) {
            devices.add(new CopierDevice(c, this, new DeviceState(c.id(), DeviceStatus.OFFLINE, DeviceDetail.NO_ANSWER,
                    "not polled yet", now)));
        }
        thread = new Thread(this::run, "openhall-copier-" + module.id());
        thread.setDaemon(true);
    }

    /** The copiers of this module, one {@link CopierDevice} each. */
    List<CopierDevice> devices() {
        return List.copyOf(devices);
    }

    Config.Module module() {
        return module;
    }

    void start() {
        thread.start();
    }

    /** Polls completed since start (tests wait for the next one instead of sleeping). */
    long polls() {
        return polls.get();
    }

    private void run() {
        while (!stopping) {
            long started = System.nanoTime();
            try {
                pollOnce();
            } catch (RuntimeException e) {
                LOG.error("Copy counter module {}: poll failed", module.id(), e);
            } catch (InterruptedException e) {
                return;
            }
            polls.incrementAndGet();
            lock.lock();
            try {
                long left = module.poll().toNanos() - (System.nanoTime() - started);
                while (!stopping && left > 0) {
                    left = wake.awaitNanos(left);
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    void pollOnce() throws InterruptedException {
        Instant now = clock.instant();
        LocalDate day = LocalDate.ofInstant(now, module.zone());
        DeviceState failure = null;
        boolean first = !firstDone;
        firstDone = true;
        for (CopierDevice d : devices) {
            Config.Copier c = d.copier();
            DeviceState next;
            if (failure != null) {
                // The module is one device on the bus: when it does not answer for one copier, it does not
                // for the others either; asking again would only cost the bus more timeouts.
                next = new DeviceState(c.id(), failure.status(), failure.detail(), failure.text(), now);
            } else {
                try {
                    long raw = counter(c);
                    boolean jam = bit(c.jam());
                    boolean tray = bit(c.trayEmpty());
                    record(c, raw, day, now);
                    next = jam ? new DeviceState(c.id(), DeviceStatus.FAULT, DeviceDetail.JAM, "jam bit " + c.jam() + " set", now)
                            : tray ? new DeviceState(c.id(), DeviceStatus.FAULT, DeviceDetail.TRAY_EMPTY, "tray-empty bit " + c.trayEmpty() + " set", now)
                                    : new DeviceState(c.id(), DeviceStatus.ONLINE, DeviceDetail.NONE, "", now);
                } catch (Bus.Down e) {
                    failure = new DeviceState(c.id(), DeviceStatus.OFFLINE, DeviceDetail.NO_PORT, e.getMessage(), now);
                    next = failure;
                } catch (Bus.NoAnswer e) {
                    failure = new DeviceState(c.id(), DeviceStatus.OFFLINE, e.garbled ? DeviceDetail.GARBLED : DeviceDetail.NO_ANSWER,
                            "unit " + module.unitId() + " on " + bus.link + ": " + e.getMessage(), now);
                    next = failure;
                } catch (ModbusSlaveException e) {
                    // The module answers, but refuses the request: wrong register or bit in the configuration.
                    next = new DeviceState(c.id(), DeviceStatus.FAULT, DeviceDetail.OTHER,
                            "unit " + module.unitId() + " refuses the request: " + e.getMessage() + " (check the configured registers)", now);
                } catch (SQLException e) {
                    LOG.error("Copy counter {}: reading not stored, it is counted at the next poll: {}", c.id(), e.toString());
                    next = d.state();
                }
            }
            DeviceState old = d.state();
            if (first || !next.sameAs(old)) {
                d.state(next);
                if (!first) {
                    LOG.info("Copier {}: {} {} ({})", c.id(), next.status(), next.detail(), next.text());
                }
                try {
                    sink.status(c, next, first);
                } catch (RuntimeException e) {
                    LOG.error("Copier {}: status {} not passed on", c.id(), next.status(), e);
                }
            }
        }
        try {
            sink.polled();
        } catch (RuntimeException e) {
            LOG.error("Copy counter module {}: after the poll", module.id(), e);
        }
    }

    private void record(Config.Copier c, long raw, LocalDate day, Instant now) throws SQLException {
        CopyStore.Recorded r = store.record(c.id(), raw, c.width(), module.maxStep(), day, now);
        switch (r.step().kind()) {
            case BASELINE -> LOG.info("Copier {}: counting from reading {}", c.id(), raw);
            case RESET -> LOG.info("Copier {}: counter went back to {}: module reset, {} pages since", c.id(), raw, r.step().pages());
            case WRAP -> LOG.info("Copier {}: counter wrapped around to {}, {} pages", c.id(), raw, r.step().pages());
            default -> {
            }
        }
        if (r.step().pages() > 0) {
            try {
                sink.counted(c, r.step().pages(), day);
            } catch (RuntimeException e) {
                LOG.error("Copier {}: counted pages not passed on", c.id(), e);
            }
        }
    }

    private long counter(Config.Copier c) throws Bus.Down, Bus.NoAnswer, ModbusSlaveException, InterruptedException {
        int unit = module.unitId();
        int count = c.width() / 16;
        Config.Point p = c.counter();
        InputRegister[] regs = transact(m -> p.table().equals("input") ? m.readInputRegisters(unit, p.address(), count)
                : m.readMultipleRegisters(unit, p.address(), count));
        if (regs == null || regs.length < count) {
            throw new Bus.NoAnswer("short answer for " + p, true);
        }
        return count == 1 ? regs[0].getValue() : Counting.combine(regs[0].getValue(), regs[1].getValue(), c.highWordFirst());
    }

    private boolean bit(Config.Point p) throws Bus.Down, Bus.NoAnswer, ModbusSlaveException, InterruptedException {
        if (p == null) {
            return false;
        }
        int unit = module.unitId();
        return transact(m -> (p.table().equals("coil") ? m.readCoils(unit, p.address(), 1)
                : m.readInputDiscretes(unit, p.address(), 1)).getBit(0));
    }

    private <T> T transact(Bus.Call<T> call) throws Bus.Down, Bus.NoAnswer, ModbusSlaveException, InterruptedException {
        return bus.transact((int) module.timeout().toMillis(), module.attempts(), m -> {
            try {
                return call.run(m);
            } catch (ModbusException e) {
                throw e;
            } catch (RuntimeException e) {
                // j2mod can fail with a runtime exception on a malformed answer: a bad frame, not a crash.
                throw new com.ghgande.j2mod.modbus.ModbusIOException("CRC or frame error: " + e);
            }
        });
    }

    Map<String, Long> busCounters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("requests", bus.requests.get());
        m.put("timeouts", bus.timeouts.get());
        m.put("garbled", bus.garbled.get());
        m.put("opens", bus.reopens.get());
        return m;
    }

    Map<String, Long> pageCounters(String copier) {
        Map<String, Long> m = new LinkedHashMap<>();
        LocalDate today = LocalDate.ofInstant(clock.instant(), module.zone());
        m.put("pagesToday", store.pages(today, List.of(copier)).get(copier));
        CopyStore.Counter k = store.counter(copier);
        m.put("pagesTotal", k == null ? 0L : k.total());
        m.put("counterResets", k == null ? 0L : k.resets());
        m.put("counterWraps", k == null ? 0L : k.wraps());
        return m;
    }

    /** Stops the thread and joins it. */
    @Override
    public void close() {
        stopping = true;
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("Copy counter module {}: poller did not stop within 10 s", module.id());
        }
    }
}
