package org.openhall.device.display.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.openhall.device.serial.LinkSpec;

/** One address on one bus belongs to one display. */
class BusAddressesTest {

    static WindowDisplay.Settings s(String id, String link, int address) {
        return new WindowDisplay.Settings(id, LinkSpec.parse(link), address, Duration.ofSeconds(1), Duration.ofMillis(100),
                1, StandardCharsets.US_ASCII);
    }

    @Test
    void aSecondDisplayOnTheSameAddressAndBusIsNamedAndAnotherBusOrAddressIsFree() {
        WindowDisplay.Settings a = s("ba-1", "serial:/dev/ba-bus", 3);
        assertNull(BusAddresses.claim(a));
        assertNull(BusAddresses.claim(a), "the same display again (a restart)");
        assertEquals("ba-1", BusAddresses.claim(s("ba-2", "serial:/dev/ba-bus", 3)));
        assertNull(BusAddresses.claim(s("ba-3", "serial:/dev/ba-bus", 4)));
        assertNull(BusAddresses.claim(s("ba-4", "serial:/dev/ba-other", 3)));
        BusAddresses.release(s("ba-2", "serial:/dev/ba-bus", 3)); // not the holder: nothing changes
        assertEquals("ba-1", BusAddresses.claim(s("ba-2", "serial:/dev/ba-bus", 3)));
        BusAddresses.release(a);
        assertNull(BusAddresses.claim(s("ba-2", "serial:/dev/ba-bus", 3)));
        BusAddresses.release(s("ba-2", "serial:/dev/ba-bus", 3));
        BusAddresses.release(s("ba-3", "serial:/dev/ba-bus", 4));
        BusAddresses.release(s("ba-4", "serial:/dev/ba-other", 3));
    }
}
