package org.openhall.device.printer.internal;

import org.openhall.testsupport.Socat;
import org.openhall.testsupport.Threads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.api.device.DeviceState;
import org.openhall.api.device.DeviceStatus;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.TicketState;
import org.openhall.api.queue.TicketView;
import org.openhall.device.serial.LinkSpec;

/** The ESC/POS driver against the printer emulator on real pseudo-terminals (socat) and TCP. */
class PrinterTest {

    static final Duration POLL = Duration.ofMillis(300);
    static final Duration ANSWER = Duration.ofMillis(200);
    /** Two polls, each up to four DLE EOT requests. */
    static final Duration TWO_POLLS = POLL.plus(ANSWER.multipliedBy(4)).multipliedBy(2);
    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    final List<DeviceState> states = new CopyOnWriteArrayList<>();
    Socat socat;
    PrinterEmulator emulator;
    Printer printer;

    @AfterEach
    void tearDown() {
        if (printer != null) {
            printer.close();
        }
        if (emulator != null) {
            emulator.close();
        }
        if (socat != null) {
            socat.close();
        }
        Threads.assertNoneLeft("no driver thread is left after close", "openhall-printer-", "openhall-link-");
    }

    private Printer start(LinkSpec link) {
        printer = new Printer(new Printer.Settings("p1", link, POLL, ANSWER, 1), Clock.systemUTC(),
                states::add);
        return printer;
    }

    private void startOnPty() throws Exception {
        socat = new Socat(dir);
        emulator = PrinterEmulator.onPty(socat.b);
        start(LinkSpec.parse("serial:" + socat.a, 9600, 8, 1, 'N'));
        awaitStatus(DeviceStatus.ONLINE, WAIT);
    }

    private void awaitStatus(DeviceStatus status, Duration timeout) {
        Wait.until("printer " + status + " (now " + printer.state() + ")", timeout,
                () -> printer.state().status() == status);
    }

    static IssuedTicket ticket(String number, int ahead) {
        return ticket(number, ahead, PriorityClass.NORMAL);
    }

    static IssuedTicket ticket(String number, int ahead, PriorityClass priority) {
        TicketView v = new TicketView(number, number.substring(0, 1), null, priority, TicketState.WAITING,
                Instant.parse("2026-11-22T01:30:00Z"), null, 0, null, null, null, null, null, false);
        return new IssuedTicket(v, ahead, 600);
    }

    static byte[] job(String number, int ahead) {
        return Layout.ticket(Texts.defaults(), "某某区政务服务中心", "社保医保", ticket(number, ahead),
                Layout.qrContent("https://hall.example/t/{ticket}", number, "A", "demo"), null, ZoneId.of("Asia/Shanghai"));
    }

    @Test
    void aGreenChannelTicketShowsItsPriorityMarkAndANormalOneDoesNot() throws Exception {
        startOnPty();
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        assertTrue(printer.print(Layout.ticket(Texts.defaults(), "中心", "社保医保",
                ticket("A013", 0, PriorityClass.GREEN_CHANNEL), null, null, zone), Duration.ofSeconds(3)));
        assertTrue(printer.print(job("A014", 1), Duration.ofSeconds(3)));
        Wait.until("two cut tickets", WAIT, () -> emulator.printed().size() == 2);
        String green = emulator.printed().get(0).text();
        assertTrue(green.contains("【绿色通道 优先办理】"), green); // R1: others see why it goes first
        assertFalse(emulator.printed().get(1).text().contains("绿色通道"));
    }

    @Test
    void aPrintedTicketCarriesNumberCategoryPeopleAheadAndQr() throws Exception {
        startOnPty();
        assertTrue(printer.print(job("A012", 3), Duration.ofSeconds(3)));
        Wait.until("a cut ticket", WAIT, () -> emulator.printed().size() == 1);
        PrinterEmulator.Printed t = emulator.printed().get(0);
        String text = t.text();
        assertTrue(text.contains("某某区政务服务中心"), text);
        assertTrue(text.contains("社保医保"), text);
        assertTrue(text.contains("前面还有 3 人"), text);
        assertTrue(text.contains("预计等待 10 分钟"), text);
        assertTrue(text.contains("取号时间 2026-11-22 09:30"), text);
        assertEquals(List.of("https://hall.example/t/A012"), t.qrCodes());
        PrinterEmulator.TextLine number = t.lines().stream().filter(l -> l.text().equals("A012")).findFirst().orElseThrow();
        assertEquals(2, number.width(), "the number is printed in double size");
        assertEquals(2, number.height());
        assertTrue(printer.endpoint().counters().bytesOut() > 0);
        assertTrue(printer.endpoint().counters().framesIn() >= 4);
    }

    @Test
    void paperOutFaultsWithinTwoPollsRefusesPrintingAndRecovers() throws Exception {
        startOnPty();
        emulator.setStatus(4, 0x12 | 0x0C);
        awaitStatus(DeviceStatus.ONLINE, WAIT);
        Wait.until("paper near end", TWO_POLLS, () -> PrinterState.PAPER_NEAR_END.equals(printer.state().detail()));
        assertTrue(printer.print(job("A001", 0), Duration.ofSeconds(3)), "near end still prints");

        emulator.setStatus(4, 0x12 | 0x6C);
        Wait.until("FAULT paper out within two polls", TWO_POLLS, () -> printer.state().status() == DeviceStatus.FAULT);
        assertEquals(PrinterState.PAPER_OUT, printer.state().detail());
        int before = emulator.printed().size();
        assertFalse(printer.print(job("A002", 0), Duration.ofSeconds(3)), "printing is refused without paper");

        emulator.setStatus(4, 0x12);
        awaitStatus(DeviceStatus.ONLINE, TWO_POLLS);
        assertEquals(PrinterState.NONE, printer.state().detail());
        assertTrue(printer.print(job("A003", 0), Duration.ofSeconds(3)));
        Wait.until("the ticket after paper came back", WAIT, () -> emulator.printed().size() == before + 1);
        assertTrue(emulator.printed().get(before).text().contains("A003"));
        assertTrue(states.stream().anyMatch(s -> s.status() == DeviceStatus.FAULT && s.detail().equals(PrinterState.PAPER_OUT)),
                "the fault was reported to the listener");
    }

    @Test
    void coverOpenAndCutterErrorAreFaults() throws Exception {
        startOnPty();
        emulator.setStatus(2, 0x12 | 0x04);
        Wait.until("cover open", TWO_POLLS, () -> PrinterState.COVER_OPEN.equals(printer.state().detail()));
        emulator.setStatus(2, 0x12);
        emulator.setStatus(3, 0x12 | 0x08);
        Wait.until("cutter error", TWO_POLLS, () -> PrinterState.CUTTER_ERROR.equals(printer.state().detail()));
        assertEquals(DeviceStatus.FAULT, printer.state().status());
    }

    @Test
    void unpluggedGoesOfflineAndComesBackWithoutRestart() throws Exception {
        startOnPty();
        emulator.close();
        socat.close();
        awaitStatus(DeviceStatus.OFFLINE, WAIT);
        assertFalse(printer.print(job("A004", 0), Duration.ofSeconds(1)));

        socat = new Socat(dir); // same link names, new /dev/pts numbers
        emulator = PrinterEmulator.onPty(socat.b);
        awaitStatus(DeviceStatus.ONLINE, WAIT);
        assertTrue(printer.print(job("A005", 0), Duration.ofSeconds(3)));
        Wait.until("printed after the re-plug", WAIT, () -> emulator.printed().size() == 1);
    }

    @Test
    void aGarbageBurstIsCountedAndDoesNotCrashTheDriver() throws Exception {
        startOnPty();
        byte[] garbage = new byte[512];
        new Random(42).nextBytes(garbage);
        emulator.sendGarbage(garbage);
        Wait.until("garbage counted", WAIT, () -> printer.endpoint().link().counters().garbled() > 0
                || printer.endpoint().counters().garbled() > 0);
        awaitStatus(DeviceStatus.ONLINE, WAIT);
        Wait.until("a clean poll after the burst", WAIT, () -> {
            int q = emulator.statusQueries.get();
            return printer.poll() && emulator.statusQueries.get() >= q + 4;
        });
        assertTrue(printer.print(job("A006", 0), Duration.ofSeconds(3)));
        Wait.until("printed after the burst", WAIT, () -> emulator.printed().stream().anyMatch(p -> p.text().contains("A006")));
    }

    @Test
    void aPrinterThatNeverAnswersDoesNotBlockLongerThanTheTimeout() throws Exception {
        startOnPty();
        emulator.silent = true;
        Duration timeout = Duration.ofMillis(700);
        long t0 = System.nanoTime();
        boolean printed = printer.print(job("A007", 0), timeout);
        long took = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertFalse(printed);
        assertTrue(took < timeout.toMillis() + 500, "print returned after " + took + " ms");
        awaitStatus(DeviceStatus.OFFLINE, WAIT);
        assertEquals(PrinterState.NO_ANSWER, printer.state().detail());
        emulator.silent = false;
        awaitStatus(DeviceStatus.ONLINE, WAIT);
    }

    @Test
    void aNetworkPrinterOnTcpWorksTheSameWay() throws Exception {
        emulator = PrinterEmulator.onTcp();
        start(LinkSpec.parse("tcp:127.0.0.1:" + emulator.port()));
        awaitStatus(DeviceStatus.ONLINE, WAIT);
        assertTrue(printer.print(job("B001", 1), Duration.ofSeconds(3)));
        Wait.until("a ticket over TCP", WAIT, () -> emulator.printed().size() == 1);
        assertTrue(emulator.printed().get(0).text().contains("B001"));
        emulator.setStatus(4, 0x12 | 0x60);
        Wait.until("paper out over TCP", TWO_POLLS, () -> printer.state().status() == DeviceStatus.FAULT);
    }

    @Test
    void aPortWithoutDeviceIsOffline() {
        start(LinkSpec.parse("serial:" + dir.resolve("nothing-here")));
        awaitStatus(DeviceStatus.OFFLINE, WAIT);
        assertEquals(PrinterState.NO_PORT, printer.state().detail());
        assertFalse(printer.print(job("A008", 0), Duration.ofMillis(200)));
    }
}
