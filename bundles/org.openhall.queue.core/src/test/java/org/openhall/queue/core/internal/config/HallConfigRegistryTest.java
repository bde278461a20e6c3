package org.openhall.queue.core.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openhall.api.config.ConfigProblem;
import org.openhall.queue.core.domain.HallConfig;

class HallConfigRegistryTest {

    final HallConfigRegistry registry = new HallConfigRegistry();
    final List<HallConfig> seen = new ArrayList<>();

    void base() throws ConfigProblem {
        registry.addListener(seen::add);
        assertTrue(registry.put("hall", "etc/org.openhall.hall.cfg",
                ConfigParsers.hall(ConfigParsersTest.props("hall.id", "demo", "hall.name", "示范"))));
        assertTrue(registry.put("cat-a", "etc/org.openhall.category-A.cfg",
                ConfigParsers.category(ConfigParsersTest.props("id", "A", "name", "社保"))));
        assertTrue(registry.put("win-1", "etc/org.openhall.window-1.cfg",
                ConfigParsers.window(ConfigParsersTest.props("id", "1", "categories", "A"))));
    }

    @Test
    void assemblesTheHallFromItsParts() throws ConfigProblem {
        base();
        assertTrue(registry.put("item", "etc/org.openhall.serviceitem-A01.cfg", ConfigParsers.serviceItem(
                ConfigParsersTest.props("id", "A01", "category", "A", "name", "转移", "materials", "身份证"))));
        HallConfig c = registry.current().orElseThrow();
        assertEquals("demo", c.hallId());
        assertEquals(1, c.category("A").orElseThrow().serviceItems().size());
        assertEquals(List.of("A"), c.window("1").orElseThrow().categories());
        assertEquals(c, seen.get(seen.size() - 1), "listeners get every new configuration");
    }

    @Test
    void aWindowServingAnUnknownCategoryIsRefusedAndTheLastGoodStays() throws ConfigProblem {
        base();
        HallConfig good = registry.current().orElseThrow();
        int notified = seen.size();
        assertFalse(registry.put("win-1", "etc/org.openhall.window-1.cfg",
                ConfigParsers.window(ConfigParsersTest.props("id", "1", "categories", "A,Z"))));
        assertEquals(good, registry.current().orElseThrow());
        assertEquals(notified, seen.size(), "no listener saw the refused configuration");
        assertEquals(List.of("A"), registry.current().orElseThrow().window("1").orElseThrow().categories());
    }

    @Test
    void duplicateIdsAreRefused() throws ConfigProblem {
        base();
        assertFalse(registry.put("win-1b", "etc/org.openhall.window-1b.cfg",
                ConfigParsers.window(ConfigParsersTest.props("id", "1", "categories", "A"))));
        assertEquals(1, registry.current().orElseThrow().windows().size());
    }

    @Test
    void partsThatArriveBeforeWhatTheyNeedWaitForIt() throws ConfigProblem {
        // Config Admin delivers files in any order: windows and items before their category.
        registry.addListener(seen::add);
        assertFalse(registry.put("win-1", "w", ConfigParsers.window(ConfigParsersTest.props("id", "1", "categories", "A"))));
        assertFalse(registry.put("item", "i", ConfigParsers.serviceItem(
                ConfigParsersTest.props("id", "A01", "category", "A", "name", "转移"))));
        assertTrue(registry.put("hall", "h", ConfigParsers.hall(ConfigParsersTest.props("hall.id", "demo", "hall.name", "x"))));
        assertEquals(0, registry.current().orElseThrow().windows().size());
        registry.put("cat-a", "c", ConfigParsers.category(ConfigParsersTest.props("id", "A", "name", "社保")));
        HallConfig c = registry.current().orElseThrow();
        assertEquals(1, c.windows().size(), "the waiting window came in with its category");
        assertEquals(1, c.category("A").orElseThrow().serviceItems().size());
    }

    @Test
    void removingACategoryTakesWhatDependsOnItOutUntilItIsBack() throws ConfigProblem {
        base();
        registry.remove("cat-a");
        assertEquals(0, registry.current().orElseThrow().categories().size());
        assertEquals(0, registry.current().orElseThrow().windows().size());
        registry.put("cat-a", "c", ConfigParsers.category(ConfigParsersTest.props("id", "A", "name", "社保")));
        assertEquals(1, registry.current().orElseThrow().windows().size());
    }

    @Test
    void windowsAreOrderedByNumber() throws ConfigProblem {
        base();
        registry.put("win-10", "f", ConfigParsers.window(ConfigParsersTest.props("id", "10", "categories", "A")));
        registry.put("win-2", "f", ConfigParsers.window(ConfigParsersTest.props("id", "2", "categories", "A")));
        assertEquals(List.of("1", "2", "10"),
                registry.current().orElseThrow().windows().stream().map(w -> w.id()).toList());
    }

    @Test
    void deletingTheHallFileKeepsTheLastConfigurationInForceAndTheLogSaysSo() throws ConfigProblem {
        base();
        HallConfig before = registry.current().orElseThrow();
        registry.remove("hall");
        assertEquals(before, registry.current().orElseThrow(), "the hall runs on its last configuration");
        String line = HallConfigRegistry.deleted(new HallConfigRegistry.Part("hall", "etc/org.openhall.hall.cfg",
                ConfigParsers.hall(ConfigParsersTest.props("hall.id", "demo", "hall.name", "示范"))));
        assertTrue(line.startsWith("Configuration etc/org.openhall.hall.cfg was deleted: the hall keeps its last"
                + " configuration in force (the hall settings of hall demo"), line);
        assertTrue(line.contains("changes to the other files wait until the file is back"), line);
        assertEquals("Configuration etc/org.openhall.window-1.cfg was deleted: window 1 is taken out of the hall"
                + " configuration", HallConfigRegistry.deleted(new HallConfigRegistry.Part("win-1",
                        "etc/org.openhall.window-1.cfg",
                        ConfigParsers.window(ConfigParsersTest.props("id", "1", "categories", "A")))));
    }
}
