package org.openhall.device.display.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * Which display holds which address on which bus, across the bundle's components: two displays
 * configured with one address on one bus would both talk to the same physical display and take
 * each other's acknowledgements, so the second is refused with its file and key.
 */
final class BusAddresses {

    private static final Map<String, String> CLAIMS = new HashMap<>();

    private BusAddresses() {
    }

    private static String key(WindowDisplay.Settings s) {
        return s.link().key() + "#" + s.address();
    }

    /** Claims the address for the display; returns the id of the display that has it already, or null. */
    static synchronized String claim(WindowDisplay.Settings s) {
        String holder = CLAIMS.putIfAbsent(key(s), s.id());
        return holder == null || holder.equals(s.id()) ? null : holder;
    }

    /** Gives the address up, if the display holds it. */
    static synchronized void release(WindowDisplay.Settings s) {
        CLAIMS.remove(key(s), s.id());
    }
}
