package org.openhall.device.frames;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.openhall.api.device.Device;
import org.openhall.api.device.DeviceDetail;
import org.openhall.api.device.DeviceState;
import org.openhall.api.device.DeviceStatus;
import org.openhall.device.serial.Counters;
import org.openhall.device.serial.DeviceLink;
import org.openhall.device.serial.Endpoint;
import org.openhall.device.serial.LinkException;
import org.openhall.device.serial.LinkSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device at one address of an RS-485 bus speaking {@link Frame68}, polled by the hall (the bus
 * master; RS-485 is half-duplex, devices speak only when asked).
 *
 * <p>Polling: one thread per device ({@code openhall-<kind>-<id>}, daemon) sends the poll command
 * every poll interval and runs every other request of the device, so its requests never interleave;
 * the devices of one bus share its link, whose fair request lock lets them take turns, address
 * after address. A device that does not answer is {@code OFFLINE} ({@code NO_ANSWER}, or
 * {@code GARBLED} when it answered only garbage) and is polled only every offline poll interval,
 * so that it costs the others on the bus little; it is {@code ONLINE} again at its first answer.
 * A vanished port makes it {@code OFFLINE} ({@code NO_PORT}) until the transport reopens it.
 *
 * <p>Free of OSGi so that tests drive it directly; also the {@link Device} the component registers.
 */
public abstract class BusDevice implements Device, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BusDevice.class);
    private static final String NOT_YET = "not connected yet";

    /** What every bus device is configured with. */
    public record Settings(String id, String windowId, LinkSpec link, int address, Duration pollInterval,
            Duration answerTimeout, int attempts, Duration offlinePoll) {
    }

    protected final Settings settings;
    private final String kind;
    protected final Clock clock;
    private final Consumer<DeviceState> listener;
    private final ScheduledThreadPoolExecutor worker;
    private volatile Endpoint endpoint;
    private volatile DeviceState state;
    private volatile boolean linkUp;
    /** Worker thread only: when the device was last polled. */
    private long lastPollNanos;

    protected BusDevice(String kind, Settings settings, Clock clock, Consumer<DeviceState> listener) {
        this.kind = kind;
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
        this.state = new DeviceState(settings.id(), DeviceStatus.OFFLINE, DeviceDetail.NO_PORT, NOT_YET, clock.instant());
        this.worker = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "openhall-" + kind + "-" + settings.id());
            t.setDaemon(true);
            return t;
        });
        worker.setRemoveOnCancelPolicy(true);
    }

    /**
     * Attaches to the link and starts polling; returns at once. Call once, after construction.
     *
     * @throws IllegalStateException when the port is owned with other settings or the id is taken
     */
    public final void start() {
        endpoint = DeviceLink.attach(settings.id(), settings.link(), new DeviceLink.Listener() {
            @Override
            public void linkUp(String description) {
                linkUp = true;
                later(() -> {
                    lastPollNanos = 0;
                    poll();
                });
            }

            @Override
            public void linkDown(String reason) {
                linkUp = false;
                set(DeviceStatus.OFFLINE, DeviceDetail.NO_PORT, reason);
            }
        });
        DeviceState initial = state;
        later(() -> {
            if (state == initial) {
                notify(initial);
            }
        });
        long every = settings.pollInterval().toMillis();
        worker.scheduleWithFixedDelay(this::pollSafely, every, every, TimeUnit.MILLISECONDS);
    }

    /** The poll command (the answer is {@code command | 0x80}). */
    protected abstract int pollCommand();

    /** DATA of the next poll (e.g. the SEQ it acknowledges). */
    protected abstract byte[] pollData();

    /** The poll's answer, on the device's thread. */
    protected abstract void answered(Frame68.Frame answer);

    /** Called on the device's thread after the device answered again (or for the first time). */
    protected void cameOnline() {
    }

    /** The driver's own counters for {@link #counters()}. */
    protected Map<String, Long> ownCounters() {
        return Map.of();
    }

    /** Runs {@code task} on the device's thread; false when the device is closing. */
    public final boolean later(Runnable task) {
        try {
            worker.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("{} {}: a task failed", kind, settings.id(), e);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Runs {@code task} on the device's thread after {@code delay}; null when closing. */
    protected final java.util.concurrent.ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        try {
            return worker.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("{} {}: a task failed", kind, settings.id(), e);
                }
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            // A driver bug must not cancel the schedule: the next poll comes all the same.
            LOG.warn("{} {}: poll failed", kind, settings.id(), e);
        }
    }

    /** One poll, on the device's thread; a device that is not ONLINE only every offline interval. */
    private void poll() {
        if (!linkUp) {
            return;
        }
        long now = System.nanoTime();
        if (state.status() != DeviceStatus.ONLINE && lastPollNanos != 0
                && now - lastPollNanos < settings.offlinePoll().toNanos()) {
            return;
        }
        lastPollNanos = now;
        Frame68.Frame answer = request(pollCommand(), pollData());
        if (answer != null) {
            answered(answer);
        }
    }

    /**
     * Sends a command and returns the device's answer (command | 0x80 from its address), or null
     * when it did not answer (the status says why). On the device's thread only.
     */
    protected final Frame68.Frame request(int command, byte[] data) {
        Endpoint ep = endpoint;
        if (ep == null || !linkUp) {
            return null;
        }
        long garbledBefore = ep.counters().garbled();
        try {
            byte[] f = ep.transact(Frame68.encode(settings.address(), command, data),
                    Frame68.reader(settings.address(), command), settings.answerTimeout(), settings.attempts());
            set(DeviceStatus.ONLINE, DeviceDetail.NONE, "answers at address " + settings.address());
            return Frame68.decode(f);
        } catch (LinkException e) {
            switch (e.reason()) {
            case TIMEOUT -> set(DeviceStatus.OFFLINE,
                    ep.counters().garbled() > garbledBefore ? DeviceDetail.GARBLED : DeviceDetail.NO_ANSWER, e.getMessage());
            case DOWN -> set(DeviceStatus.OFFLINE, DeviceDetail.NO_PORT, e.getMessage());
            case CLOSED -> {
                // closing
            }
            }
            return null;
        }
    }

    private synchronized void set(DeviceStatus status, String detail, String text) {
        DeviceState next = new DeviceState(settings.id(), status, detail, text, clock.instant());
        // The first failure to connect replaces "not connected yet" with the reason, once.
        if (next.sameAs(state) && !(NOT_YET.equals(state.text()) && !NOT_YET.equals(text))) {
            return;
        }
        boolean back = status == DeviceStatus.ONLINE && state.status() != DeviceStatus.ONLINE;
        state = next;
        if (back) {
            later(this::cameOnline);
        }
        if (status == DeviceStatus.ONLINE) {
            LOG.info("{} {} is ONLINE", kind, settings.id());
        } else {
            LOG.warn("{} {} is {} ({}): {}", kind, settings.id(), status, detail, text);
        }
        notify(next);
    }

    private void notify(DeviceState s) {
        try {
            listener.accept(s);
        } catch (RuntimeException e) {
            LOG.warn("{} {}: status listener failed", kind, settings.id(), e);
        }
    }

    @Override
    public final String id() {
        return settings.id();
    }

    @Override
    public final String kind() {
        return kind;
    }

    @Override
    public final String windowId() {
        return settings.windowId();
    }

    @Override
    public final DeviceState state() {
        return state;
    }

    public final Settings settings() {
        return settings;
    }

    /** This device's traffic counters (of its endpoint), or null before {@link #start()}. */
    public final Counters traffic() {
        Endpoint ep = endpoint;
        return ep == null ? null : ep.counters();
    }

    @Override
    public final Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        Counters c = traffic();
        if (c != null) {
            m.put("bytesIn", c.bytesIn());
            m.put("bytesOut", c.bytesOut());
            m.put("framesIn", c.framesIn());
            m.put("framesOut", c.framesOut());
            m.put("errors", c.errors());
            m.put("garbled", c.garbled());
        }
        m.putAll(ownCounters());
        return m;
    }

    /** Stops polling, ends the device's thread (joined) and detaches from the link. */
    @Override
    public void close() {
        Endpoint ep = endpoint;
        LOG.info("{} {} closed ({}): {}", kind, settings.id(), state.status(), ep == null ? "-" : ep.counters());
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("{} {}: thread did not end within 5 s", kind, settings.id());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ep != null) {
            ep.close();
        }
    }
}
