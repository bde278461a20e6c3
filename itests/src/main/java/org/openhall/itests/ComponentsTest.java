package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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

    @Test
    void noComponentIsUnsatisfiedOrFailed() {
        Collection<ComponentDescriptionDTO> descriptions = scr.getComponentDescriptionDTOs();
        assertFalse(descriptions.isEmpty(), "the runtime has DS components");
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
        assertEquals(List.of(), problems);
    }
}
