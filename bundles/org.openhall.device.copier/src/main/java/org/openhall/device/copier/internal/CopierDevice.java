package org.openhall.device.copier.internal;

import java.util.Map;
import java.util.TreeMap;

import org.openhall.api.device.Device;
import org.openhall.api.device.DeviceKinds;
import org.openhall.api.device.DeviceState;

/** One copier as the hall sees it: the {@link Device} service of kind {@code copy-counter}. */
final class CopierDevice implements Device {

    private final Config.Copier copier;
    private final ModulePoller poller;
    private volatile DeviceState state;

    CopierDevice(Config.Copier copier, ModulePoller poller, DeviceState initial) {
        this.copier = copier;
        this.poller = poller;
        this.state = initial;
    }

    Config.Copier copier() {
        return copier;
    }

    void state(DeviceState s) {
        state = s;
    }

    @Override
    public String id() {
        return copier.id();
    }

    @Override
    public String kind() {
        return DeviceKinds.COPY_COUNTER;
    }

    @Override
    public String windowId() {
        return null;
    }

    @Override
    public DeviceState state() {
        return state;
    }

    /** Pages today and in all, resets and wraps of the module's counter, and the bus's request counters. */
    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = new TreeMap<>(poller.busCounters());
        m.putAll(poller.pageCounters(copier.id()));
        return m;
    }
}
