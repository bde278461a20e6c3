package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.runtime.HallReady;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

@ExtendWith(ServiceExtension.class)
class ComponentsTest {

    @InjectService
    ServiceComponentRuntime scr;

    @InjectService(timeout = 30_000)
    HallReady ready;

    /** Another test may just have updated the core: wait for it to be back. */
    @InjectService(timeout = 30_000)
    HallQueue queue;

    @Test
    void noComponentIsUnsatisfiedOrFailed() {
        assertFalse(scr.getComponentDescriptionDTOs().isEmpty(), "the runtime has DS components");
        // Steady state: components of a bundle that was just restarted may still be on their way.
        List<String> problems = Poll.until("every component satisfied", Poll.DEFAULT, () -> {
            List<String> found = problems();
            return found.isEmpty() ? Optional.of(found) : Optional.empty();
        }, this::problems);
        assertEquals(List.of(), problems);
    }

    List<String> problems() {
        Collection<ComponentDescriptionDTO> descriptions = scr.getComponentDescriptionDTOs();
        List<String> problems = new ArrayList<>();
        for (ComponentDescriptionDTO d : descriptions) {
            Collection<ComponentConfigurationDTO> configs = scr.getComponentConfigurationDTOs(d);
            if (configs.isEmpty() && !"require".equals(d.configurationPolicy)) {
                problems.add(d.name + ": no configuration (enabled=" + scr.isComponentEnabled(d) + ")");
            }
            for (ComponentConfigurationDTO c : configs) {
                switch (c.state) {
                case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
                case ComponentConfigurationDTO.UNSATISFIED_REFERENCE:
                case ComponentConfigurationDTO.FAILED_ACTIVATION:
                    problems.add(d.name + ": state " + c.state + (c.failure == null ? "" : " " + c.failure));
                    break;
                default:
                    break;
                }
            }
        }
        return problems;
    }
}
