package org.openhall.device.copier.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.api.device.DeviceDetail;
import org.openhall.api.device.DeviceStatus;

/**
 * The copy counter driver against a j2mod RTU slave on socat pseudo-terminals (R19): pages across
 * wrap-around and module resets, faults, unplugging, a restart, and noise on the bus.
 */
class CopyCounterTest {

    private static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private ModbusEmulator emu;

    @BeforeEach
    void emulator() throws Exception {
        emu = new ModbusEmulator(dir, 1);
    }

    @AfterEach
    void stop() {
        emu.close();
    }

    @Test
    void countsPagesAcrossA16BitWrapAndAModuleReset() throws Exception {
        emu.set16(0, 65530);
        emu.set32(2, 70_000, true);
        try (Fixture f = new Fixture(dir.resolve("copies.db"), Fixture.config("m", emu.port(), 1))) {
            Wait.until("m-c1 ONLINE", T, () -> f.state("m-c1").status() == DeviceStatus.ONLINE);
            f.nextPoll();
            assertEquals(0, f.today("m-c1"), "the first reading is the baseline, not pages");

            emu.set16(0, 65535);
            emu.set32(2, 70_010, true);
            Wait.until("5 pages", T, () -> f.today("m-c1") == 5 && f.today("m-c2") == 10);

            emu.set16(0, 4); // 65535 -> 0 -> 4: the counter wrapped after 5 more pages
            Wait.until("wrap counted", T, () -> f.today("m-c1") == 10);
            assertEquals(1, f.store.counter("m-c1").wraps());

            emu.set16(0, 0); // the module was reset: its counter starts again at 0
            f.nextPoll();
            emu.set16(0, 3);
            Wait.until("pages after the reset counted", T, () -> f.today("m-c1") == 13);
            f.nextPoll();
            assertEquals(13, f.today("m-c1"), "a counter going backwards is a reset, never negative pages");
            assertEquals(1, f.store.counter("m-c1").resets());
            assertEquals(13, f.total("m-c1"));
            assertEquals(Map.of("m-c1", 13L, "m-c2", 10L), f.counted);
            assertEquals(Map.of("m-c1", 13L, "m-c2", 10L), f.hub.pages(java.time.LocalDate.now(Fixture.ZONE)));
        }
    }

    @Test
    void aJamOrAnEmptyTrayIsAFaultUntilItIsCleared() throws Exception {
        try (Fixture f = new Fixture(dir.resolve("copies.db"), Fixture.config("m", emu.port(), 1))) {
            Wait.until("ONLINE", T, () -> f.state("m-c1").status() == DeviceStatus.ONLINE);
            emu.bit(0, true);
            Wait.until("FAULT JAM", T, () -> f.state("m-c1").status() == DeviceStatus.FAULT
                    && DeviceDetail.JAM.equals(f.state("m-c1").detail()));
            assertEquals(DeviceStatus.ONLINE, f.state("m-c2").status(), "the other copier of the module is not jammed");
            emu.bit(0, false);
            emu.bit(1, true);
            Wait.until("FAULT TRAY_EMPTY", T, () -> DeviceDetail.TRAY_EMPTY.equals(f.state("m-c1").detail()));
            emu.bit(1, false);
            Wait.until("ONLINE again", T, () -> f.state("m-c1").status() == DeviceStatus.ONLINE);
            assertTrue(f.statuses.stream().anyMatch(s -> s.deviceId().equals("m-c1") && DeviceDetail.JAM.equals(s.detail())),
                    "the jam was passed on: " + f.statuses);
        }
    }

    @Test
    void unpluggedIsOfflineAndPagesMadeMeanwhileAreCountedAfterReplugging() throws Exception {
        emu.set16(0, 100);
        try (Fixture f = new Fixture(dir.resolve("copies.db"), Fixture.config("m", emu.port(), 1))) {
            Wait.until("ONLINE", T, () -> f.state("m-c1").status() == DeviceStatus.ONLINE);
            emu.set16(0, 110);
            Wait.until("10 pages", T, () -> f.today("m-c1") == 10);

            emu.unplug();
            Wait.until("OFFLINE NO_PORT", T, () -> f.state("m-c1").status() == DeviceStatus.OFFLINE
                    && DeviceDetail.NO_PORT.equals(f.state("m-c1").detail()));
            assertEquals(DeviceStatus.OFFLINE, f.state("m-c2").status());
            emu.set16(0, 117); // the module keeps counting pulses while its bus is unplugged

            emu.plug();
            Wait.until("ONLINE after re-plugging", T, () -> f.state("m-c1").status() == DeviceStatus.ONLINE);
            Wait.until("pages of the unplugged time", T, () -> f.today("m-c1") == 17);
            f.nextPoll();
            assertEquals(17, f.today("m-c1"));
        }
    }

    @Test
    void aRestartOfTheHallNeitherLosesNorRepeatsPages() throws Exception {
        emu.set16(0, 500);
        Path db = dir.resolve("copies.db");
        try (Fixture f = new Fixture(db, Fixture.config("m", emu.port(), 1))) {
            Wait.until("ONLINE", T, () -> f.state("m-c1").status() == DeviceStatus.ONLINE);
            emu.set16(0, 520);
            Wait.until("20 pages", T, () -> f.today("m-c1") == 20);
        }
        emu.set16(0, 530); // pages made while the hall is down
        try (Fixture f = new Fixture(db, Fixture.config("m", emu.port(), 1))) {
            Wait.until("ONLINE", T, () -> f.state("m-c1").status() == DeviceStatus.ONLINE);
            Wait.until("30 pages", T, () -> f.today("m-c1") == 30);
            f.nextPoll();
            assertEquals(30, f.today("m-c1"));
            assertEquals(30, f.total("m-c1"));
        }
    }

    @Test
    void garbageOnTheBusIsCountedAndNotFatal() throws Exception {
        emu.set16(0, 10);
        try (Fixture f = new Fixture(dir.resolve("copies.db"), Fixture.config("m", emu.port(), 1))) {
            Wait.until("ONLINE", T, () -> f.state("m-c1").status() == DeviceStatus.ONLINE);
            emu.garble.set(3);
            emu.set16(0, 12);
            Wait.until("bad frames counted", T, () -> f.bus.garbled.get() >= 1);
            Wait.until("pages counted all the same", T, () -> f.today("m-c1") == 2);
            Wait.until("ONLINE after the noise", T, () -> f.state("m-c1").status() == DeviceStatus.ONLINE);
            f.nextPoll();
            assertEquals(2, f.today("m-c1"), "no page counted twice");
            assertTrue(f.poller.devices().get(0).counters().get("garbled") >= 1);
        }
    }

    @Test
    void aModuleThatDoesNotAnswerDoesNotDisturbTheOthersOnTheBus() throws Exception {
        emu.set16(0, 1);
        CopyStore store = CopyStore.open(dir.resolve("copies.db"));
        CopierHub hub = new CopierHub(store);
        try (Fixture good = new Fixture(store, hub, Fixture.config("m", emu.port(), 1));
                Fixture dead = new Fixture(store, hub, Fixture.config("x", emu.port(), 9))) {
            assertTrue(good.bus == dead.bus, "one master per port");
            Wait.until("x OFFLINE NO_ANSWER", T, () -> DeviceDetail.NO_ANSWER.equals(dead.state("x-c1").detail()));
            Wait.until("m ONLINE", T, () -> good.state("m-c1").status() == DeviceStatus.ONLINE);
            for (int i = 2; i <= 6; i++) {
                emu.set16(0, i);
                int pages = i - 1;
                Wait.until(pages + " pages", T, () -> good.today("m-c1") == pages);
            }
            assertEquals(DeviceStatus.ONLINE, good.state("m-c1").status());
            assertEquals(DeviceStatus.OFFLINE, dead.state("x-c2").status());
        }
    }
}
