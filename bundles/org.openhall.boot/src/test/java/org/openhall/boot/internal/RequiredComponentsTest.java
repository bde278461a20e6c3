package org.openhall.boot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

class RequiredComponentsTest {

    private static ComponentDescriptionDTO description(String name, Object required) {
        ComponentDescriptionDTO d = new ComponentDescriptionDTO();
        d.name = name;
        d.configurationPolicy = "optional";
        d.configurationPid = new String[] { name };
        d.properties = required == null ? Map.of() : Map.of("openhall.required", required);
        return d;
    }

    private static ComponentConfigurationDTO config(int state) {
        ComponentConfigurationDTO c = new ComponentConfigurationDTO();
        c.state = state;
        c.unsatisfiedReferences = new UnsatisfiedReferenceDTO[0];
        return c;
    }

    @Test
    void readyWhenEveryRequiredComponentIsActiveOrSatisfied() {
        ComponentDescriptionDTO core = description("core", Boolean.TRUE);
        ComponentDescriptionDTO bridge = description("bridge", "true");
        Map<ComponentDescriptionDTO, Collection<ComponentConfigurationDTO>> configs = Map.of(
                core, List.of(config(ComponentConfigurationDTO.ACTIVE)),
                bridge, List.of(config(ComponentConfigurationDTO.SATISFIED)));
        assertTrue(RequiredComponents.notReady(List.of(core, bridge), configs::get).isEmpty());
    }

    @Test
    void aBrokenDeviceThatIsNotRequiredDoesNotHoldReadinessBack() {
        ComponentDescriptionDTO printer = description("printer", null);
        ComponentDescriptionDTO display = description("display", Boolean.FALSE);
        assertTrue(RequiredComponents.notReady(List.of(printer, display),
                d -> List.of(config(ComponentConfigurationDTO.FAILED_ACTIVATION))).isEmpty());
    }

    @Test
    void namesTheMissingReferenceOfAnUnsatisfiedRequiredComponent() {
        ComponentDescriptionDTO core = description("core", Boolean.TRUE);
        ComponentConfigurationDTO c = config(ComponentConfigurationDTO.UNSATISFIED_REFERENCE);
        UnsatisfiedReferenceDTO ref = new UnsatisfiedReferenceDTO();
        ref.name = "journal";
        c.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] { ref };
        assertEquals(List.of("core (unsatisfied reference journal)"),
                RequiredComponents.notReady(List.of(core), d -> List.of(c)));
    }

    @Test
    void namesTheMissingConfigurationOfARequiredComponent() {
        ComponentDescriptionDTO core = description("core", Boolean.TRUE);
        core.configurationPolicy = "require";
        core.configurationPid = new String[] { "org.openhall.hall" };
        assertEquals(List.of("core (no configuration org.openhall.hall)"),
                RequiredComponents.notReady(List.of(core), d -> List.of()));
    }

    @Test
    void reportsAFailedActivationWithItsCause() {
        ComponentDescriptionDTO core = description("core", Boolean.TRUE);
        ComponentConfigurationDTO c = config(ComponentConfigurationDTO.FAILED_ACTIVATION);
        c.failure = "java.io.IOException: disk full";
        assertEquals(List.of("core (activation failed: java.io.IOException: disk full)"),
                RequiredComponents.notReady(List.of(core), d -> List.of(c)));
    }

    @Test
    void aSatisfiedComponentWhoseServiceIsNotRegisteredYetIsNotReady() {
        ComponentDescriptionDTO core = description("core", Boolean.TRUE);
        core.serviceInterfaces = new String[] { "org.openhall.api.queue.HallQueue" };
        ComponentConfigurationDTO c = config(ComponentConfigurationDTO.SATISFIED);
        assertEquals(List.of("core (its service is not registered yet)"),
                RequiredComponents.notReady(List.of(core), d -> List.of(c), x -> false));
        assertTrue(RequiredComponents.notReady(List.of(core), d -> List.of(c), x -> true).isEmpty());
    }
}
