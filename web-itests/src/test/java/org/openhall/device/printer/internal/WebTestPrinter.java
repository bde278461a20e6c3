package org.openhall.device.printer.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.openhall.testsupport.Socat;

/** The printer bundle's emulator on a socat pair, for the web page tests in another package. */
public final class WebTestPrinter implements AutoCloseable {

    private final Socat socat;
    private final PrinterEmulator emulator;

    public WebTestPrinter(Path dir) throws IOException {
        socat = new Socat(dir);
        emulator = PrinterEmulator.onPty(socat.b);
    }

    /** The path the hall's printer opens. */
    public Path port() {
        return socat.a;
    }

    /** The text of each slip printed so far. */
    public List<String> slips() {
        return emulator.printed().stream().map(PrinterEmulator.Printed::text).toList();
    }

    @Override
    public void close() throws Exception {
        emulator.close();
        socat.close();
    }
}
