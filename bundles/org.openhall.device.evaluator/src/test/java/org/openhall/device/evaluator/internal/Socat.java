package org.openhall.device.evaluator.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A socat pseudo-terminal pair: {@code a} for the driver, {@code b} for the emulator. Killing it unplugs both. */
final class Socat implements AutoCloseable {

    final Path a;
    final Path b;
    private final Process process;

    Socat(Path dir) throws IOException {
        a = dir.resolve("ttyA");
        b = dir.resolve("ttyB");
        process = new ProcessBuilder("socat", "-d", "-d", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true).redirectOutput(dir.resolve("socat.log").toFile()).start();
        Wait.until("socat links " + a + " and " + b, Duration.ofSeconds(10),
                () -> Files.exists(a) && Files.exists(b) || !process.isAlive());
        if (!process.isAlive()) {
            throw new IOException("socat ended: " + Files.readString(dir.resolve("socat.log")));
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
        Wait.until("socat links removed", Duration.ofSeconds(10), () -> !Files.exists(a) && !Files.exists(b));
    }
}
