package org.openhall.queue.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.api.device.Device;
import org.openhall.api.device.DeviceState;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.openhall.journal.Journal;
import org.openhall.journal.JournalOptions;

/**
 * Window binding (issue 10): a device configured for window N acts only at window N. Through the
 * real service on a real journal; the device services are bound as Declarative Services binds
 * them (the service object and its properties).
 */
class DeviceBindingTest {

    static final Actor KEYPAD = Actor.device("keypad-1");

    @TempDir
    Path tmp;
    final EngineTest.TestClock clock = new EngineTest.TestClock();
    Journal journal;
    QueueEngine engine;
    HallQueueService hall;
    int requests;

    @BeforeEach
    void start() throws Exception {
        journal = Journal.open(tmp.resolve("journal.db"), JournalOptions.defaults());
        engine = QueueEngine.start(journal, TestHalls.hall(2), clock, () -> null);
        hall = new HallQueueService();
        hall.engine = engine;
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        journal.close();
    }

    Request next() {
        return Request.by(KEYPAD, "r" + (++requests));
    }

    static Map<String, Object> props(String id, String window) {
        return window == null ? Map.of(Device.ID, id, Device.KIND, "keypad")
                : Map.of(Device.ID, id, Device.KIND, "keypad", Device.WINDOW, window);
    }

    /** A device service as a driver registers it; the core reads only its service properties. */
    static final Device ANY = new Device() {
        public String id() {
            return "keypad-1";
        }

        public String kind() {
            return "keypad";
        }

        public String windowId() {
            return "1";
        }

        public DeviceState state() {
            return null;
        }

        public Map<String, Long> counters() {
            return Map.of();
        }
    };

    @Test
    void aDeviceBoundToAWindowActsOnlyThere() {
        hall.bindDevice(ANY, props("keypad-1", "1"));
        assertTrue(hall.issueTicket(next(), "A", null, null).isOk(), "issuing is not at a window");
        assertTrue(hall.openWindow(next(), "1", "s1", TestHalls.PIN).isOk());
        assertEquals(ErrorCode.BAD_CREDENTIALS, hall.openWindow(next(), "2", "s2", TestHalls.PIN).error().code(),
                "signing in at another window is acting there too");
        long seq = engine.seq();

        Result<?> elsewhere = hall.callNext(next(), "2");
        assertFalse(elsewhere.isOk());
        assertEquals(ErrorCode.BAD_CREDENTIALS, elsewhere.error().code());
        assertTrue(elsewhere.error().message().contains("belongs to window 1"), elsewhere.error().message());
        assertEquals(seq, engine.seq(), "nothing done at window 2");

        assertTrue(hall.callNext(next(), "1").isOk(), "at its own window it works");
    }

    @Test
    void anUnboundOrUnregisteredDeviceIsNotRestrictedAndUnbindingLiftsTheBinding() {
        assertTrue(hall.openWindow(next(), "2", "s2", TestHalls.PIN).isOk(), "no device service: no binding");
        hall.bindDevice(ANY, props("keypad-1", null));
        assertTrue(hall.closeWindow(next(), "2").isOk(), "a device of no window: no binding");

        hall.bindDevice(ANY, props("keypad-1", "1"));
        assertEquals(ErrorCode.BAD_CREDENTIALS, hall.openWindow(next(), "2", "s2", TestHalls.PIN).error().code());
        hall.updatedDevice(ANY, props("keypad-1", "2"));
        assertTrue(hall.openWindow(next(), "2", "s2", TestHalls.PIN).isOk(), "moved to window 2");
        hall.unbindDevice(ANY, props("keypad-1", "2"));
        assertTrue(hall.closeWindow(next(), "2").isOk());
        assertTrue(hall.openWindow(next(), "1", "s1", TestHalls.PIN).isOk(), "unbound: no binding");
    }
}
