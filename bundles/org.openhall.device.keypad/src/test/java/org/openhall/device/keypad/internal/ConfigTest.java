package org.openhall.device.keypad.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.device.frames.BusConfig;
import org.openhall.device.frames.BusDevice;
import org.openhall.device.frames.Texts;
import org.openhall.device.serial.LinkSpec;

class ConfigTest {

    static BusDevice.Settings read(Map<String, ?> p) throws ConfigProblem {
        return BusConfig.read(new ConfigReader(p), "keypad.id");
    }

    static String badKey(Map<String, ?> p) {
        return assertThrows(ConfigProblem.class, () -> read(p)).key();
    }

    @Test
    void aKeypadFileWithDefaults() throws Exception {
        BusDevice.Settings s = read(Map.of("keypad.id", "keypad-3", "window", "3", "link", "usb:1a86:7523", "address", "5"));
        assertEquals("keypad-3", s.id());
        assertEquals("3", s.windowId());
        assertEquals(LinkSpec.Kind.USB, s.link().kind());
        assertEquals(9600, s.link().baud());
        assertEquals(5, s.address());
        assertEquals(Duration.ofMillis(200), s.pollInterval());
        assertEquals(Duration.ofMillis(150), s.answerTimeout());
        assertEquals(2, s.attempts());
        assertEquals(Duration.ofMillis(2000), s.offlinePoll());
    }

    @Test
    void badValuesNameTheKey() {
        assertEquals("keypad.id", badKey(Map.of("window", "1", "link", "/dev/x")));
        assertEquals("window", badKey(Map.of("keypad.id", "k", "link", "/dev/x")));
        assertEquals("link", badKey(Map.of("keypad.id", "k", "window", "1")));
        assertEquals("link", badKey(Map.of("keypad.id", "k", "window", "1", "link", "tcp:host")));
        assertEquals("address", badKey(Map.of("keypad.id", "k", "window", "1", "link", "/dev/x", "address", "0")));
        assertEquals("address", badKey(Map.of("keypad.id", "k", "window", "1", "link", "/dev/x", "address", "248")));
        assertEquals("parity", badKey(Map.of("keypad.id", "k", "window", "1", "link", "/dev/x", "parity", "X")));
        assertEquals("pollMillis", badKey(Map.of("keypad.id", "k", "window", "1", "link", "/dev/x", "pollMillis", "soon")));
        assertEquals("display", assertThrows(ConfigProblem.class, () -> KeypadComponent.display("lcd")).key());
    }

    @Test
    void textsComeFromTheResourceAndConfiguration() throws Exception {
        assertEquals("无人等候", Texts.of(CallerKeypad.class, Map.of()).get("E10"));
        assertEquals("请稍等", Texts.of(CallerKeypad.class, Map.of("text.pauseReasonBrief", "请稍等")).get("pauseReasonBrief"));
        assertEquals(CallerKeypad.DisplayMode.TEXT, KeypadComponent.display(" Text "));
        for (String code : Keys.ERRORS.values()) {
            Texts.of(CallerKeypad.class, Map.of()).get(code); // every code has its text
        }
    }

    @Test
    void transferTargetsAndDisplayTexts() {
        assertEquals(new org.openhall.api.queue.TransferTarget("B", null), CallerKeypad.target("B"));
        assertEquals(new org.openhall.api.queue.TransferTarget("B", "3"), CallerKeypad.target("B*3"));
        assertEquals(null, CallerKeypad.target("*3"));
        assertEquals(null, CallerKeypad.target("B*"));
        org.junit.jupiter.api.Assertions.assertTrue(CallerKeypad.fit("E10 " + "无人等候".repeat(10), 32).length <= 32);
        assertEquals("E10 无人", new String(CallerKeypad.fit("E10 无人等候", 8), CallerKeypad.GB18030), "cut between characters");
    }
}
