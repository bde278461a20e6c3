package org.openhall.boot.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Decides whether the configuration files of the hall home have reached the components they
 * configure: READY promises that a command issued right after it finds the hall as its files
 * describe it (a window of {@code etc/}, an MQTT connection that carries the very next event).
 *
 * <p>Loading is three asynchronous hand-overs: FileInstall reads a file into Config Admin, Config
 * Admin delivers it to DS, DS activates the component. Nothing in the framework reports the end of
 * all three, so this compares what each of them shows: every file has a configuration (by its
 * {@code felix.fileinstall.filename}), and every configuration that an enabled component takes has
 * a component configuration with its {@code service.pid} that is past activation.
 */
final class DeliveredConfigurations {

    /** The property FileInstall puts into every configuration it made from a file. */
    static final String FILE_PROPERTY = "felix.fileinstall.filename";

    /** A configuration in Config Admin that FileInstall made from a file. */
    record Loaded(String pid, String factoryPid, String file) {
    }

    private DeliveredConfigurations() {
    }

    /**
     * @param files      the configuration files in the watched folders
     * @param loaded     the configurations FileInstall made
     * @param enabled    whether DS has a component enabled
     * @return one line per file or configuration that has not arrived yet; empty when all did
     */
    static List<String> notDelivered(Collection<Path> files, Collection<Loaded> loaded,
            Collection<ComponentDescriptionDTO> descriptions,
            Function<ComponentDescriptionDTO, Collection<ComponentConfigurationDTO>> configurations,
            Predicate<ComponentDescriptionDTO> enabled) {
        List<String> waiting = new ArrayList<>();
        Set<Path> read = new HashSet<>();
        for (Loaded l : loaded) {
            Path p = path(l.file());
            if (p != null) {
                read.add(p);
            }
        }
        for (Path f : files) {
            if (!read.contains(f.toAbsolutePath().normalize())) {
                waiting.add("configuration file " + f.getFileName() + " to be read");
            }
        }
        for (Loaded l : loaded) {
            String takenAs = l.factoryPid() != null ? l.factoryPid() : l.pid();
            for (ComponentDescriptionDTO d : descriptions) {
                if ("ignore".equals(d.configurationPolicy) || d.configurationPid == null
                        || !Arrays.asList(d.configurationPid).contains(takenAs) || !enabled.test(d)) {
                    continue;
                }
                boolean arrived = configurations.apply(d).stream()
                        .anyMatch(c -> hasPid(c, l.pid()) && pastActivation(d, c));
                if (!arrived) {
                    waiting.add("configuration " + l.pid() + " to reach " + d.name);
                }
            }
        }
        return waiting;
    }

    /**
     * An immediate component that is only SATISFIED is being activated right now; any other state
     * (active, failed, unsatisfied) is as far as this configuration takes it.
     */
    private static boolean pastActivation(ComponentDescriptionDTO d, ComponentConfigurationDTO c) {
        return !(d.immediate && c.state == ComponentConfigurationDTO.SATISFIED);
    }

    private static boolean hasPid(ComponentConfigurationDTO c, String pid) {
        Object value = c.properties == null ? null : c.properties.get("service.pid");
        if (value instanceof String[] a) {
            return Arrays.asList(a).contains(pid);
        }
        if (value instanceof Collection<?> list) {
            return list.contains(pid);
        }
        return pid.equals(value);
    }

    /** FileInstall writes the file as a URI ({@code file:/…}); older versions as a plain path. */
    static Path path(String file) {
        if (file == null || file.isEmpty()) {
            return null;
        }
        try {
            return file.startsWith("file:") ? Path.of(URI.create(file)).toAbsolutePath().normalize()
                    : Path.of(file).toAbsolutePath().normalize();
        } catch (RuntimeException notAPath) {
            return null;
        }
    }
}
