package org.openhall.boot.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.openhall.api.runtime.HallReady;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Decides from the DS runtime's DTOs which required components are not yet usable, and says why,
 * so that a hall that does not become ready tells its operator what it is waiting for.
 */
final class RequiredComponents {

    private RequiredComponents() {
    }

    static boolean isRequired(ComponentDescriptionDTO description) {
        Object flag = description.properties == null ? null : description.properties.get(HallReady.REQUIRED_PROPERTY);
        return Boolean.TRUE.equals(flag) || "true".equalsIgnoreCase(String.valueOf(flag));
    }

    /**
     * @return one line per required component that has no ACTIVE or SATISFIED configuration:
     *         its name and the reason; empty when every required component is usable
     */
    static List<String> notReady(Collection<ComponentDescriptionDTO> descriptions,
            Function<ComponentDescriptionDTO, Collection<ComponentConfigurationDTO>> configurations) {
        return notReady(descriptions, configurations, c -> true);
    }

    /**
     * As {@link #notReady(Collection, Function)}, and a required component that provides services
     * counts as usable only once {@code registered} says its service is in the registry: DS marks a
     * configuration SATISFIED a moment before the service registration is complete, and a console
     * command issued right after READY must find the queue.
     */
    static List<String> notReady(Collection<ComponentDescriptionDTO> descriptions,
            Function<ComponentDescriptionDTO, Collection<ComponentConfigurationDTO>> configurations,
            java.util.function.Predicate<ComponentConfigurationDTO> registered) {
        List<String> waiting = new ArrayList<>();
        for (ComponentDescriptionDTO description : descriptions) {
            if (!isRequired(description)) {
                continue;
            }
            Collection<ComponentConfigurationDTO> configs = configurations.apply(description);
            boolean providesService = description.serviceInterfaces != null && description.serviceInterfaces.length > 0;
            boolean usable = configs.stream().anyMatch(c -> (c.state == ComponentConfigurationDTO.ACTIVE
                    || c.state == ComponentConfigurationDTO.SATISFIED) && (!providesService || registered.test(c)));
            if (!usable) {
                waiting.add(description.name + " (" + reason(description, configs) + ")");
            }
        }
        return waiting;
    }

    static String reason(ComponentDescriptionDTO description, Collection<ComponentConfigurationDTO> configs) {
        if (configs.isEmpty()) {
            return "require".equals(description.configurationPolicy)
                    ? "no configuration " + String.join(", ", description.configurationPid)
                    : "disabled or not yet processed";
        }
        return configs.stream().map(RequiredComponents::reason).collect(Collectors.joining("; "));
    }

    private static String reason(ComponentConfigurationDTO config) {
        switch (config.state) {
        case ComponentConfigurationDTO.UNSATISFIED_REFERENCE:
            String refs = config.unsatisfiedReferences == null ? ""
                    : Stream.of(config.unsatisfiedReferences).map(r -> r.name).collect(Collectors.joining(", "));
            return "unsatisfied reference " + refs;
        case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
            return "unsatisfied configuration";
        case ComponentConfigurationDTO.FAILED_ACTIVATION:
            return "activation failed: " + firstLine(config.failure);
        case ComponentConfigurationDTO.SATISFIED:
        case ComponentConfigurationDTO.ACTIVE:
            return "its service is not registered yet";
        default:
            return "state " + config.state;
        }
    }

    /** SCR puts the whole stack trace into {@code failure}; a log line and an alert get its first line. */
    static String firstLine(String failure) {
        if (failure == null) {
            return "unknown";
        }
        int end = failure.indexOf('\n');
        return (end < 0 ? failure : failure.substring(0, end)).strip();
    }
}
