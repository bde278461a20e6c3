package org.openhall.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real serial line without hardware: a {@code socat} pseudo-terminal pair, {@link #a} for the
 * driver and {@link #b} for the device emulator (jSerialComm opens a link by its path like a real
 * port). Closing it kills socat, as when an adapter is unplugged, and waits until both links are
 * gone. Shared by the tests of every serial device bundle.
 */
public final class Socat implements AutoCloseable {

    public final Path a;
    public final Path b;
    private final Process process;

    /** A pair {@code dir/ttyA}, {@code dir/ttyB}. */
    public Socat(Path dir) throws IOException {
        this(dir, "ttyA", "ttyB");
    }

    /** A pair with these link names in {@code dir}; socat logs to {@code dir/socat-<nameA>.log}. */
    public Socat(Path dir, String nameA, String nameB) throws IOException {
        a = dir.resolve(nameA);
        b = dir.resolve(nameB);
        Path log = dir.resolve("socat-" + nameA + ".log");
        process = new ProcessBuilder("socat", "-d", "-d", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        poll("socat links " + a + " and " + b, () -> Files.exists(a) && Files.exists(b) || !process.isAlive());
        if (!process.isAlive()) {
            throw new IOException("socat ended: " + Files.readString(log));
        }
    }

    /** Kills socat, as when an adapter is unplugged, and waits until its links are gone. */
    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        poll("socat links removed", () -> !Files.exists(a) && !Files.exists(b));
    }

    /** Polls a file-system condition (no event announces a link) for up to 10 s. */
    private static void poll(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after 10 s waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
