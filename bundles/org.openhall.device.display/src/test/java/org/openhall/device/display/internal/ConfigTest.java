package org.openhall.device.display.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openhall.api.config.ConfigProblem;
import org.openhall.device.serial.LinkSpec;

/** A display's configuration: defaults, and every bad value refused with its key and reason. */
class ConfigTest {

    static Map<String, Object> good() {
        Map<String, Object> m = new HashMap<>();
        m.put("display.id", "window3-display");
        m.put("window", "3");
        m.put("link", "serial:/dev/ttyUSB0");
        return m;
    }

    static ConfigProblem refused(String key, Object value) {
        Map<String, Object> m = good();
        if (value == null) {
            m.remove(key);
        } else {
            m.put(key, value);
        }
        ConfigProblem p = assertThrows(ConfigProblem.class, () -> Config.display(m), key + "=" + value);
        assertEquals(key, p.key(), p.reason());
        return p;
    }

    @Test
    void defaults() throws Exception {
        Config.Display c = Config.display(good());
        assertEquals("window3-display", c.settings().id());
        assertEquals("3", c.window());
        assertEquals(LinkSpec.Kind.SERIAL, c.settings().link().kind());
        assertEquals(9600, c.settings().link().baud());
        assertEquals(1, c.settings().address());
        assertEquals(Duration.ofSeconds(5), c.blink());
        assertEquals(Duration.ofMillis(3000), c.settings().pollInterval());
        assertEquals(Duration.ofMillis(300), c.settings().answerTimeout());
        assertEquals(2, c.settings().attempts());
        assertEquals("GB2312", c.settings().charset().name());
        assertEquals("请A012号", c.texts().get(Texts.CALLED, "A012"));
    }

    @Test
    void valuesAsTheyComeFromACfgFile() throws Exception {
        Map<String, Object> m = good();
        m.put("link", "tcp:192.168.1.60:4001");
        m.put("address", "7");
        m.put("blinkSeconds", "0");
        m.put("pollMillis", "1000");
        m.put("encoding", "gb18030");
        m.put("text.idle", "{0}\\n{1} 工号{2}");
        Config.Display c = Config.display(m);
        assertEquals(LinkSpec.Kind.TCP, c.settings().link().kind());
        assertEquals(7, c.settings().address());
        assertEquals(Duration.ZERO, c.blink());
        assertEquals("GB18030", c.settings().charset().name());
        assertEquals("3号窗口\n张三 工号1001", c.texts().get(Texts.IDLE, "3号窗口", "张三", "1001"));
    }

    @Test
    void badValuesAreRefusedWithKeyAndReason() {
        refused("display.id", null);
        refused("display.id", "bad id!");
        refused("window", null);
        refused("link", null);
        assertTrue(refused("link", "tcp:host").reason().contains("tcp:HOST:PORT"));
        refused("address", "0");
        refused("address", "255");
        refused("address", "x");
        refused("blinkSeconds", "61");
        refused("pollMillis", "10");
        refused("attempts", "0");
        refused("parity", "X");
        assertTrue(refused("encoding", "UTF-8").reason().contains("GB2312"));
        assertTrue(refused("text.caled", "请{0}号").reason().contains("called"), "a misspelt text key");
        refused("text.called", "请{0号");
        assertTrue(refused("text.called", "请{0}号\uD842\uDFB7").reason().contains("GB18030"),
                "a character GB2312 does not have");
        assertTrue(refused("text.closed", "关".repeat(200)).reason().contains("longer"));
        refused("window", "3\uFFFD");
    }

    @Test
    void theSameFileReadTwiceIsTheSameConfiguration() throws Exception {
        Map<String, Object> m = good();
        m.put("text.closed", "今日服务已结束");
        assertEquals(Config.display(m), Config.display(new HashMap<>(m)));
        Map<String, Object> other = new HashMap<>(m);
        other.put("text.closed", "下班了");
        assertTrue(!Config.display(m).equals(Config.display(other)), "another text is another configuration");
    }

    @Test
    void aCharacterOutsideGb2312IsAcceptedWithGb18030() throws Exception {
        Map<String, Object> m = good();
        m.put("encoding", "GB18030");
        m.put("text.closed", "\uD842\uDFB7");
        assertEquals("\uD842\uDFB7", Config.display(m).texts().get(Texts.CLOSED, "3号窗口"));
    }
}
