package org.openhall.device.printer.internal;

import org.openhall.testsupport.Socat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.api.device.DeviceStatus;
import org.openhall.api.queue.Outcome;
import org.openhall.api.queue.QueueEvents;
import org.osgi.service.event.Event;

/** R8: a window's printer prints the full list of missing materials when a transaction ends incomplete. */
class SlipTest {

    @TempDir
    Path dir;

    static Event finished(String window, Outcome outcome, String... missing) {
        Map<String, Object> p = new HashMap<>();
        p.put(QueueEvents.TYPE, QueueEvents.SERVICE_FINISHED);
        p.put(QueueEvents.TICKET, "B007");
        p.put(QueueEvents.WINDOW, window);
        p.put(QueueEvents.OUTCOME, outcome.name());
        p.put(QueueEvents.MISSING_MATERIALS, missing);
        p.put(QueueEvents.TIME, 1_795_000_000_000L);
        return new Event(QueueEvents.topic(QueueEvents.SERVICE_FINISHED), p);
    }

    @Test
    void materialsIncompletePrintsEveryMissingItemOnTheWindowsPrinter() throws Exception {
        try (Socat socat = new Socat(dir); PrinterEmulator emulator = PrinterEmulator.onPty(socat.b)) {
            PrinterComponent component = new PrinterComponent();
            component.configure(Map.of("printer.id", "w-printer", "link", "serial:" + socat.a, "windows", "3,4",
                    "pollMillis", "200", "answerTimeoutMillis", "200"));
            try {
                Wait.until("printer online", Duration.ofSeconds(15),
                        () -> component.printer().state().status() == DeviceStatus.ONLINE);
                component.handleEvent(finished("1", Outcome.MATERIALS_INCOMPLETE, "身份证原件"));
                component.handleEvent(finished("3", Outcome.DONE));
                component.handleEvent(finished("3", Outcome.MATERIALS_INCOMPLETE, "身份证原件", "户口簿", "不动产权证书"));
                Wait.until("the slip", Duration.ofSeconds(15), () -> emulator.printed().size() == 1);
                String text = emulator.printed().get(0).text();
                assertTrue(text.contains("一次性告知单"), text);
                assertTrue(text.contains("号票 B007   窗口 3"), text);
                assertTrue(text.contains("1. 身份证原件"), text);
                assertTrue(text.contains("2. 户口簿"), text);
                assertTrue(text.contains("3. 不动产权证书"), text);
                // Only window 3's incomplete transaction was printed: not window 1's, not a DONE.
                emulator.close();
                assertEquals(1, emulator.printed().size());
                assertFalse(text.contains("DONE"));
            } finally {
                component.deactivate();
            }
            assertEquals(List.of(), Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("openhall-printer-w-printer")).toList());
        }
    }
}
