package org.openhall.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openhall.api.device.Device;
import org.openhall.api.device.DeviceDetail;
import org.openhall.api.device.DeviceState;
import org.openhall.api.device.DeviceStatus;

class DeviceCommandsTest {

    record TestDevice(String id, String kind, String windowId, DeviceState state, Map<String, Long> counters)
            implements Device {
    }

    @Test
    void everyDeviceIsOneLineWithStatusDetailSinceAndCounters() {
        Instant since = Instant.parse("2026-12-03T01:02:03Z");
        List<Device> list = new ArrayList<>(List.of(
                new TestDevice("printer-2", "printer", null,
                        new DeviceState("printer-2", DeviceStatus.FAULT, DeviceDetail.PAPER_OUT, "缺纸", since),
                        Map.of("garbled", 2L, "bytesIn", 40L)),
                new TestDevice("keypad-3", "keypad", "3",
                        new DeviceState("keypad-3", DeviceStatus.OFFLINE, DeviceDetail.NO_PORT, "", since), Map.of())));
        String[] lines = DeviceCommands.table(list).split("\n");
        assertEquals(3, lines.length, String.join("\n", lines));
        assertTrue(lines[0].startsWith("device"), lines[0]);
        assertTrue(lines[1].matches("keypad-3 +keypad +3 +OFFLINE +NO_PORT +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:03 +-"), lines[1]);
        assertTrue(lines[2].matches("printer-2 +printer +- +FAULT +PAPER_OUT +.* bytesIn=40 garbled=2"), lines[2]);
    }

    @Test
    void aDriverThatThrowsDoesNotHideTheOthers() {
        assertEquals("no devices configured", DeviceCommands.table(new ArrayList<>()));
        String table = DeviceCommands.table(new ArrayList<>(List.of(new Device() {
            public String id() {
                return "bad";
            }

            public String kind() {
                return "x";
            }

            public String windowId() {
                return null;
            }

            public DeviceState state() {
                throw new IllegalStateException("driver bug");
            }

            public Map<String, Long> counters() {
                return Map.of();
            }
        }, new TestDevice("ok", "printer", null, new DeviceState("ok", DeviceStatus.ONLINE, null, null,
                Instant.now()), Map.of()))));
        assertTrue(table.contains("bad              cannot be read: java.lang.IllegalStateException: driver bug"), table);
        assertTrue(table.contains("ok "), table);
    }
}
