package org.openhall.shell.internal;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.openhall.api.device.Device;
import org.openhall.api.device.DeviceState;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code hall:devices}: every configured device of the hall, from the {@link Device} services the
 * drivers register, with status, detail code, since when and counters, one line each.
 */
@Component(service = DeviceCommands.class, property = { "osgi.command.scope=hall",
        "osgi.command.function=devices" })
public final class DeviceCommands {

    private static final DateTimeFormatter SINCE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final List<Device> devices = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDevice(Device device) {
        devices.add(device);
    }

    void unbindDevice(Device device) {
        devices.remove(device);
    }

    /** hall:devices — every device with status, detail, since and counters. */
    public String devices() {
        return table(new ArrayList<>(devices));
    }

    static String table(List<Device> list) {
        if (list.isEmpty()) {
            return "no devices configured";
        }
        list.sort(Comparator.comparing(Device::id));
        StringBuilder sb = new StringBuilder(String.format("%-16s %-10s %-6s %-8s %-16s %-19s %s%n", "device", "kind",
                "window", "status", "detail", "since", "counters"));
        for (Device d : list) {
            try {
                DeviceState s = d.state();
                Map<String, Long> counters = d.counters();
                sb.append(String.format("%-16s %-10s %-6s %-8s %-16s %-19s %s%n", d.id(), d.kind(),
                        d.windowId() == null ? "-" : d.windowId(), s == null ? "?" : s.status(),
                        s == null ? "?" : s.detail(), s == null ? "?" : SINCE.format(s.since()),
                        counters == null || counters.isEmpty() ? "-"
                                : counters.entrySet().stream().sorted(Map.Entry.comparingByKey())
                                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "))));
            } catch (RuntimeException e) {
                // A driver must not throw here (see Device); if one does, its line says so and the rest show.
                sb.append(String.format("%-16s cannot be read: %s%n", safeId(d), e));
            }
        }
        return sb.toString().stripTrailing();
    }

    private static String safeId(Device d) {
        try {
            return d.id();
        } catch (RuntimeException e) {
            return "?";
        }
    }
}
