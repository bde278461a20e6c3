package org.openhall.device.copier.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openhall.api.config.ConfigProblem;

/** Bad module files are refused with the key and the reason; the counting rule of R19. */
class ConfigTest {

    private static Map<String, Object> good() {
        return Fixture.config("m", Path.of("/dev/ttyUSB0"), 3);
    }

    private static String badKey(String key, Object value) {
        Map<String, Object> m = good();
        m.put(key, value);
        return assertThrows(ConfigProblem.class, () -> Config.module(m)).key();
    }

    @Test
    void aGoodFileIsRead() throws ConfigProblem {
        Config.Module m = Config.module(good());
        assertEquals(3, m.unitId());
        assertEquals(2, m.copiers().size());
        assertEquals(32, m.copiers().get(1).width());
        assertTrue(m.copiers().get(1).highWordFirst());
        assertEquals(new Config.Point("discrete", 0), m.copiers().get(0).jam());
        assertTrue(m.link().serial());
        Map<String, Object> tcp = good();
        tcp.put("link", "tcp:192.168.1.60:502");
        assertFalse(Config.module(tcp).link().serial());
    }

    @Test
    void badValuesNameTheirKey() {
        assertEquals("link", badKey("link", "com1"));
        assertEquals("unitId", badKey("unitId", "0"));
        assertEquals("copier.m-c1.counter", badKey("copier.m-c1.counter", "discrete:3"));
        assertEquals("copier.m-c2.width", badKey("copier.m-c2.width", "24"));
        assertEquals("copier.m-c2.wordOrder", badKey("copier.m-c2.wordOrder", "middle"));
        assertEquals("copier.m-c1.jam", badKey("copier.m-c1.jam", "holding:1"));
        assertEquals("copiers", badKey("copiers", "m-c1,m-c1"));
        assertEquals("parity", badKey("parity", "X"));
        assertEquals("pollMillis", badKey("pollMillis", "fast"));
    }

    @Test
    void aCounterGoingBackIsAWrapOrAResetNeverNegative() {
        assertEquals(new Counting.Step(0, Counting.Kind.BASELINE), Counting.step(-1, 500, 16, 2000));
        assertEquals(new Counting.Step(7, Counting.Kind.COUNT), Counting.step(500, 507, 16, 2000));
        assertEquals(new Counting.Step(10, Counting.Kind.WRAP), Counting.step(65530, 4, 16, 2000));
        assertEquals(new Counting.Step(3, Counting.Kind.RESET), Counting.step(30_000, 3, 16, 2000));
        assertEquals(new Counting.Step(6, Counting.Kind.WRAP), Counting.step(0xFFFF_FFFEL, 4, 32, 2000));
        assertEquals(0x0001_0002L, Counting.combine(1, 2, true));
        assertEquals(0x0002_0001L, Counting.combine(1, 2, false));
    }
}
