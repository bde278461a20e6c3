package org.openhall.device.printer.internal;

import org.openhall.testsupport.Socat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.api.device.DeviceState;
import org.openhall.api.device.DeviceStatus;
import org.openhall.device.serial.LinkSpec;

/**
 * Line noise on a real pseudo-terminal pair (socat) between the driver and the printer emulator
 * (issue 17, point 10): a garbled status reply is counted and dropped and the request asked
 * again; only a validly framed status, said twice, reports a fault; an unplug is one OFFLINE.
 */
class PrinterNoiseTest {

    static final Duration POLL = Duration.ofMillis(300);
    static final Duration ANSWER = Duration.ofMillis(200);
    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    /** Every status the driver reported, with the number of status queries the emulator had seen then. */
    record Seen(DeviceState state, int queries) {
    }

    final List<Seen> seen = new CopyOnWriteArrayList<>();
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
    }

    private void startOnPty() throws Exception {
        socat = new Socat(dir);
        PrinterEmulator e = PrinterEmulator.onPty(socat.b);
        emulator = e;
        // attempts 2, the configured default: a garbled or lost reply is asked again once.
        printer = new Printer(new Printer.Settings("p1", LinkSpec.parse("serial:" + socat.a, 9600, 8, 1, 'N'),
                POLL, ANSWER, 2), Clock.systemUTC(), s -> seen.add(new Seen(s, e.statusQueries.get())));
        Wait.until("printer ONLINE", WAIT, () -> printer.state().status() == DeviceStatus.ONLINE);
    }

    private List<DeviceState> states() {
        return seen.stream().map(Seen::state).toList();
    }

    /** Garbles one reply to DLE EOT {@code n}, waits until the emulator sent it and one whole poll more was made. */
    private void garbleOnce(int n, IntFunction<byte[]> line) {
        int before = emulator.noisyReplies.get();
        emulator.garbleNextReply(n, line);
        Wait.until("the garbled reply sent", WAIT, () -> emulator.noisyReplies.get() == before + 1);
        int q = emulator.statusQueries.get();
        Wait.until("a whole poll after the noise", WAIT, () -> emulator.statusQueries.get() >= q + 8);
    }

    private void assertNoFaultStillOnlineAndPrints(String ticket) {
        assertTrue(states().stream().noneMatch(s -> s.status() != DeviceStatus.ONLINE && !s.text().equals("not connected yet")),
                "no FAULT or OFFLINE was reported: " + states());
        assertEquals(DeviceStatus.ONLINE, printer.state().status());
        assertTrue(printer.print(PrinterTest.job(ticket, 0), Duration.ofSeconds(3)), "still prints");
        Wait.until("printed " + ticket, WAIT, () -> emulator.printed().stream().anyMatch(p -> p.text().contains(ticket)));
    }

    @Test
    void aReplyWithoutTheFixedBitsIsGarbledAndAskedAgain() throws Exception {
        startOnPty();
        long garbled = printer.endpoint().counters().garbled();
        // 0x06: bit 2 (cover open) set, but fixed bit 4 clear: not a DLE EOT reply.
        garbleOnce(2, v -> new byte[] { 0x06 });
        assertTrue(printer.endpoint().counters().garbled() > garbled, "counted as garbled");
        assertTrue(printer.endpoint().link().counters().garbled() > 0, "the link counts it too");
        assertNoFaultStillOnlineAndPrints("A101");
    }

    @Test
    void aStrayByteJustBeforeTheReplyIsGarbledAndAskedAgain() throws Exception {
        startOnPty();
        long garbled = printer.endpoint().counters().garbled();
        // A well-framed byte that reads as cover open, then the true reply, in one write: the
        // driver used to take the first byte as the status (false FAULT COVER_OPEN).
        garbleOnce(2, v -> new byte[] { 0x16, (byte) v });
        assertTrue(printer.endpoint().counters().garbled() > garbled, "counted as garbled");
        assertNoFaultStillOnlineAndPrints("A102");
    }

    @Test
    void aBitFlippedIntoAFaultBitIsNotBelievedUntilTheQuestionIsAnsweredTwice() throws Exception {
        startOnPty();
        long garbled = printer.endpoint().counters().garbled();
        // 0x12 with bit 2 flipped: framed like a real reply, so only asking again tells.
        garbleOnce(2, v -> new byte[] { (byte) (v | 0x04) });
        assertTrue(printer.endpoint().counters().garbled() > garbled, "the unconfirmed reply is counted as garbled");
        // and bits 5/6 of DLE EOT 4 (paper out) the same way
        garbleOnce(4, v -> new byte[] { (byte) (v | 0x60) });
        assertNoFaultStillOnlineAndPrints("A103");
    }

    @Test
    void aTruncatedReplyIsAskedAgain() throws Exception {
        startOnPty();
        long errors = printer.endpoint().counters().errors();
        garbleOnce(3, v -> new byte[0]); // the reply is lost on the line: nothing arrives
        assertTrue(printer.endpoint().counters().errors() > errors, "the missing reply is counted");
        assertNoFaultStillOnlineAndPrints("A104");
    }

    @Test
    void aRealCoverOpenIsStillReportedAtTheFirstPollThatSeesIt() throws Exception {
        startOnPty();
        int q = emulator.statusQueries.get();
        emulator.setStatus(2, 0x12 | 0x04);
        Wait.until("FAULT COVER_OPEN", WAIT, () -> PrinterState.COVER_OPEN.equals(printer.state().detail()));
        Seen fault = seen.stream().filter(s -> s.state().status() == DeviceStatus.FAULT).findFirst().orElseThrow();
        assertEquals(PrinterState.COVER_OPEN, fault.state().detail());
        // The poll under way may have asked DLE EOT 2 before the cover opened (at most 4 more
        // queries); the next one sees it and confirms it with one query more: 4 + 5.
        assertTrue(fault.queries() <= q + 9, "reported by the first poll that saw it: " + (fault.queries() - q) + " queries");
        emulator.setStatus(2, 0x12);
        Wait.until("ONLINE again", WAIT, () -> printer.state().status() == DeviceStatus.ONLINE);
    }

    @Test
    void aLineThatStaysGarbledGoesOfflineOnce() throws Exception {
        startOnPty();
        for (int i = 0; i < 40; i++) {
            emulator.garbleNextReply(1, v -> new byte[] { 0x00 });
        }
        Wait.until("OFFLINE", WAIT, () -> printer.state().status() == DeviceStatus.OFFLINE);
        assertEquals(PrinterState.NO_ANSWER, printer.state().detail());
        assertTrue(states().stream().noneMatch(s -> s.status() == DeviceStatus.FAULT), states().toString());
    }

    @Test
    void killingSocatIsOneOfflineEventAndOneLogLine() throws Exception {
        startOnPty();
        String log = capturingStderr(() -> {
            emulator.close();
            socat.close();
            socat = null;
            Wait.until("OFFLINE reported", WAIT, () -> seen.get(seen.size() - 1).state().status() == DeviceStatus.OFFLINE);
            // The link keeps trying to reopen the port meanwhile: wait for a few of its attempts.
            int reported = seen.size();
            long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            Wait.until("two seconds of reconnect attempts", Duration.ofSeconds(5), () -> System.nanoTime() > end);
            assertEquals(reported, seen.size(), "nothing more reported while it stays unplugged: " + states());
        });
        assertOneOffline(log, PrinterState.NO_PORT);
    }

    @Test
    void closingTheEmulatorsEndIsOneOfflineEventAndOneLogLine() throws Exception {
        startOnPty();
        String log = capturingStderr(() -> {
            emulator.close();
            emulator = null;
            Wait.until("OFFLINE reported", WAIT, () -> seen.get(seen.size() - 1).state().status() == DeviceStatus.OFFLINE);
            int q = seen.size();
            long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            Wait.until("two seconds of polls", Duration.ofSeconds(5), () -> System.nanoTime() > end);
            assertEquals(q, seen.size(), "nothing more reported while it stays silent: " + states());
        });
        assertOneOffline(log, PrinterState.NO_ANSWER);
    }

    private void assertOneOffline(String log, String detail) {
        List<DeviceState> offline = states().stream().filter(s -> s.status() == DeviceStatus.OFFLINE)
                .filter(s -> !s.text().equals("not connected yet")).toList();
        assertEquals(1, offline.size(), "one OFFLINE event: " + offline);
        assertEquals(detail, offline.get(0).detail());
        List<String> lines = log.lines().filter(l -> l.contains("OFFLINE")).toList();
        assertEquals(1, lines.size(), "one OFFLINE log line: " + lines);
        List<String> warnings = log.lines().filter(l -> l.contains(" WARN ")).toList();
        assertEquals(1, warnings.size(), "one WARN line for the unplug: " + warnings);
    }

    interface Body {
        void run() throws Exception;
    }

    /** Runs body with System.err (slf4j-simple's output, looked up at every line) copied into the result. */
    private static String capturingStderr(Body body) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        OutputStream tee = new OutputStream() {
            @Override
            public synchronized void write(int b) {
                copy.write(b);
                original.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                copy.write(b, off, len);
                original.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(original);
        }
        synchronized (tee) {
            return copy.toString(StandardCharsets.UTF_8);
        }
    }
}
