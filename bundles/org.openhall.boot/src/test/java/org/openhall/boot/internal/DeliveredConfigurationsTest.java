package org.openhall.boot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openhall.boot.internal.DeliveredConfigurations.Loaded;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

class DeliveredConfigurationsTest {

    static final Path ETC = Path.of("/hall/etc");
    static final Path WINDOW = ETC.resolve("org.openhall.window-1.cfg");
    static final Path LOCAL = ETC.resolve("org.openhall.mqtt.connection-local.cfg");
    static final Loaded WINDOW_LOADED = new Loaded("org.openhall.window~1", "org.openhall.window", WINDOW.toUri().toString());
    static final Loaded LOCAL_LOADED = new Loaded("org.openhall.mqtt.connection~local", "org.openhall.mqtt.connection",
            LOCAL.toUri().toString());

    static ComponentDescriptionDTO component(String name, String pid, boolean immediate) {
        ComponentDescriptionDTO d = new ComponentDescriptionDTO();
        d.name = name;
        d.configurationPolicy = "require";
        d.configurationPid = new String[] { pid };
        d.immediate = immediate;
        return d;
    }

    static ComponentConfigurationDTO configuration(String pid, int state) {
        ComponentConfigurationDTO c = new ComponentConfigurationDTO();
        c.state = state;
        c.properties = Map.of("service.pid", pid);
        return c;
    }

    static List<String> check(Collection<Path> files, Collection<Loaded> loaded, List<ComponentDescriptionDTO> components,
            Map<ComponentDescriptionDTO, List<ComponentConfigurationDTO>> configs) {
        return DeliveredConfigurations.notDelivered(files, loaded, components, d -> configs.getOrDefault(d, List.of()),
                d -> true);
    }

    @Test
    void aFileFileInstallHasNotReadYetIsWaitedFor() {
        assertEquals(List.of("configuration file org.openhall.mqtt.connection-local.cfg to be read"),
                check(List.of(WINDOW, LOCAL), List.of(WINDOW_LOADED), List.of(), Map.of()));
    }

    @Test
    void aConfigurationDsHasNotDeliveredToItsFactoryComponentIsWaitedFor() {
        ComponentDescriptionDTO connection = component("MqttConnection", "org.openhall.mqtt.connection", true);
        assertEquals(List.of("configuration org.openhall.mqtt.connection~local to reach MqttConnection"),
                check(List.of(LOCAL), List.of(LOCAL_LOADED), List.of(connection), Map.of()));
    }

    @Test
    void anImmediateComponentStillBeingActivatedIsWaitedFor() {
        ComponentDescriptionDTO connection = component("MqttConnection", "org.openhall.mqtt.connection", true);
        var satisfied = Map.of(connection, List.of(configuration(LOCAL_LOADED.pid(), ComponentConfigurationDTO.SATISFIED)));
        assertEquals(1, check(List.of(LOCAL), List.of(LOCAL_LOADED), List.of(connection), satisfied).size());
        var active = Map.of(connection, List.of(configuration(LOCAL_LOADED.pid(), ComponentConfigurationDTO.ACTIVE)));
        assertTrue(check(List.of(LOCAL), List.of(LOCAL_LOADED), List.of(connection), active).isEmpty());
    }

    @Test
    void aComponentThatFailedWithItsConfigurationDoesNotHoldReadinessBack() {
        ComponentDescriptionDTO connection = component("MqttConnection", "org.openhall.mqtt.connection", true);
        var failed = Map.of(connection,
                List.of(configuration(LOCAL_LOADED.pid(), ComponentConfigurationDTO.FAILED_ACTIVATION)));
        assertTrue(check(List.of(LOCAL), List.of(LOCAL_LOADED), List.of(connection), failed).isEmpty());
    }

    @Test
    void aDelayedComponentIsDeliveredWhenSatisfiedAndAnotherFactorysComponentIsNotConcerned() {
        ComponentDescriptionDTO window = component("Window", "org.openhall.window", false);
        ComponentDescriptionDTO connection = component("MqttConnection", "org.openhall.mqtt.connection", true);
        var configs = Map.of(window, List.of(configuration(WINDOW_LOADED.pid(), ComponentConfigurationDTO.SATISFIED)));
        assertTrue(check(List.of(WINDOW), List.of(WINDOW_LOADED), List.of(window, connection), configs).isEmpty());
    }

    @Test
    void aConfigurationNoComponentTakesOrADisabledComponentIsNotWaitedFor() {
        ComponentDescriptionDTO connection = component("MqttConnection", "org.openhall.mqtt.connection", true);
        Loaded copier = new Loaded("org.openhall.copier~1", "org.openhall.copier", ETC.resolve("x.cfg").toUri().toString());
        assertTrue(check(List.of(), List.of(copier), List.of(connection), Map.of()).isEmpty());
        assertTrue(DeliveredConfigurations.notDelivered(List.of(LOCAL), List.of(LOCAL_LOADED), List.of(connection),
                d -> List.of(), d -> false).isEmpty());
    }

    @Test
    void theFileNameIsReadAsFileInstallWritesIt() {
        assertEquals(WINDOW, DeliveredConfigurations.path(WINDOW.toUri().toString()));
        assertEquals(WINDOW, DeliveredConfigurations.path(WINDOW.toString()));
    }
}
