package org.openhall.device.serial;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A socat pseudo-terminal pair: {@code a} for the link, {@code b} for the emulator. Killing it unplugs both. */
final class Socat implements AutoCloseable {

    final Path a;
    final Path b;
    private final Process process;

    Socat(Path dir) throws IOException {
        a = dir.resolve("ttyA");
        b = dir.resolve("ttyB");
        process = new ProcessBuilder("socat", "-d", "-d", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true).redirectOutput(dir.resolve("socat.log").toFile()).start();
        DeviceLinkTest.await("socat links " + a + " and " + b, () -> Files.exists(a) && Files.exists(b) || !process.isAlive());
        if (!process.isAlive()) {
            throw new IOException("socat ended: " + Files.readString(dir.resolve("socat.log")));
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
        DeviceLinkTest.await("socat links removed", () -> !Files.exists(a) && !Files.exists(b));
    }
}
