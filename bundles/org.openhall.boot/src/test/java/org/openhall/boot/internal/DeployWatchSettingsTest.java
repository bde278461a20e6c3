package org.openhall.boot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openhall.api.config.ConfigProblem;

class DeployWatchSettingsTest {

    @Test
    void withoutAFileTheDefaultsHold() throws ConfigProblem {
        DeployWatch.Settings s = DeployWatch.Settings.parse(Map.of());
        assertEquals(DeployWatch.DEFAULT_SETTLE_SECONDS * 1000, s.settleMillis());
        assertTrue(s.rollBack());
        assertEquals(DeployWatch.DEFAULT_TEXT, s.text());
    }

    @Test
    void aBadValueNamesItsKey() {
        assertEquals("rollBack", assertThrows(ConfigProblem.class,
                () -> DeployWatch.Settings.parse(Map.of("rollBack", "yes"))).key());
        assertEquals("settleSeconds", assertThrows(ConfigProblem.class,
                () -> DeployWatch.Settings.parse(Map.of("settleSeconds", "0"))).key());
    }

    @Test
    void aComponentsFailureIsReportedByItsFirstLineOnly() {
        assertEquals("java.lang.IllegalStateException: broken",
                RequiredComponents.firstLine("java.lang.IllegalStateException: broken\n\tat a.B.c(B.java:1)\n"));
        assertEquals("unknown", RequiredComponents.firstLine(null));
    }
}
