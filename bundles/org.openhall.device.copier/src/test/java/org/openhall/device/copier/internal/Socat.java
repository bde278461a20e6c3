package org.openhall.device.copier.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A socat pseudo-terminal pair: {@code a} and {@code b}. Killing it unplugs both. */
final class Socat implements AutoCloseable {

    final Path a;
    final Path b;
    private final Process process;

    Socat(Path dir, String nameA, String nameB) throws IOException {
        a = dir.resolve(nameA);
        b = dir.resolve(nameB);
        Path log = dir.resolve("socat-" + nameA + ".log");
        process = new ProcessBuilder("socat", "-d", "-d", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Wait.until("socat links " + a + " and " + b, Duration.ofSeconds(10),
                () -> Files.exists(a) && Files.exists(b) || !process.isAlive());
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
        Wait.until("socat links removed", Duration.ofSeconds(10), () -> !Files.exists(a) && !Files.exists(b));
    }
}
