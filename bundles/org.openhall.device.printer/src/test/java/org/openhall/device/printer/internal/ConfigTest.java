package org.openhall.device.printer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openhall.api.config.ConfigProblem;
import org.openhall.device.serial.LinkSpec;

class ConfigTest {

    @Test
    void printerLinksBySerialPathUsbIdentityAndTcp() throws Exception {
        assertEquals(LinkSpec.Kind.SERIAL, Config.printer(Map.of("printer.id", "p1", "link", "/dev/ttyUSB0")).settings().link().kind());
        LinkSpec usb = Config.printer(Map.of("printer.id", "p1", "link", "usb:0416:5011:ABC", "baud", "19200")).settings().link();
        assertEquals(0x0416, usb.vendorId());
        assertEquals(0x5011, usb.productId());
        assertEquals("ABC", usb.serialNumber());
        assertEquals(19200, usb.baud());
        Config.Printer tcp = Config.printer(Map.of("printer.id", "p1", "link", "tcp:10.0.0.9:9100", "windows", "1, 2"));
        assertEquals(9100, tcp.settings().link().port());
        assertEquals(List.of("1", "2"), tcp.windows());
    }

    @Test
    void badValuesNameTheKey() {
        assertEquals("link", assertThrows(ConfigProblem.class, () -> Config.printer(Map.of("printer.id", "p1"))).key());
        assertEquals("link", assertThrows(ConfigProblem.class,
                () -> Config.printer(Map.of("printer.id", "p1", "link", "tcp:host:99999"))).key());
        assertEquals("baud", assertThrows(ConfigProblem.class,
                () -> Config.printer(Map.of("printer.id", "p1", "link", "/dev/x", "baud", "fast"))).key());
        assertEquals("categories", assertThrows(ConfigProblem.class,
                () -> Config.kiosk(Map.of("kiosk.id", "k1", "printer", "p1"))).key());
    }

    @Test
    void textsComeFromTheResourceAndConfiguration() {
        assertEquals("设备故障,暂停使用", Texts.defaults().get("deviceFault"));
        assertEquals("请稍候", Texts.with(Map.of("text.deviceFault", "请稍候")).get("deviceFault"));
        assertEquals("前面还有 5 人", Texts.defaults().get("peopleAhead", "5"));
    }
}
