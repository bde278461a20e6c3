package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.queue.Alert;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.runtime.HallHome;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The low-disk alert (issue 16) in the runtime's bundle set, against the real volume of the hall's
 * data/: a threshold above its free space raises {@code disk:data} (LOW_DISK) in the hall's state,
 * which the MQTT bridge publishes like every alert; a threshold below it clears the alert.
 */
@ExtendWith(ServiceExtension.class)
class LowDiskAlertTest {

    @InjectService
    HallHome home;

    @InjectService(timeout = 30_000)
    HallQueue queue;

    Optional<Alert> alert() {
        return queue.snapshot().alerts().stream().filter(a -> a.id().equals("disk:data")).findFirst();
    }

    @Test
    void aVolumeBelowTheThresholdRaisesTheAlertAndEnoughFreeSpaceClearsIt() throws Exception {
        Path cfg = home.etc().resolve("org.openhall.diskwatch.cfg");
        try {
            // More than any disk has free: the data volume is "low".
            PrinterUpdateTest.write(cfg, "minFreeMegabytes = 1000000000\ncheckSeconds = 1\n");
            Alert raised = Poll.until("the low-disk alert", Duration.ofSeconds(30), this::alert);
            assertEquals("LOW_DISK", raised.kind());
            assertTrue(raised.text().startsWith("数据盘剩余空间不足("), raised.text());

            PrinterUpdateTest.write(cfg, "minFreeMegabytes = 1\ncheckSeconds = 1\n");
            Poll.until("the alert cleared with space to spare", () -> alert().isEmpty());

        } finally {
            Files.deleteIfExists(cfg);
        }
    }
}
