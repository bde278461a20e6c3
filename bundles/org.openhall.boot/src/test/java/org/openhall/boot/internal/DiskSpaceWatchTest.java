package org.openhall.boot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openhall.api.config.ConfigProblem;

class DiskSpaceWatchTest {

    @Test
    void defaultsAre200MibEvery30Seconds() throws Exception {
        DiskSpaceWatch.Settings s = DiskSpaceWatch.Settings.parse(Map.of());
        assertEquals(200L * 1024 * 1024, s.minFreeBytes());
        assertEquals(30, s.checkSeconds());
        assertEquals("数据盘剩余空间不足({free} MB),请尽快清理", s.text());
    }

    @Test
    void aBadValueNamesItsKey() {
        assertEquals("minFreeMegabytes", assertThrows(ConfigProblem.class,
                () -> DiskSpaceWatch.Settings.parse(Map.of("minFreeMegabytes", "none"))).key());
        assertEquals("checkSeconds", assertThrows(ConfigProblem.class,
                () -> DiskSpaceWatch.Settings.parse(Map.of("checkSeconds", "0"))).key());
        assertEquals("text", assertThrows(ConfigProblem.class,
                () -> DiskSpaceWatch.Settings.parse(Map.of("text", "长".repeat(501)))).key());
    }
}
