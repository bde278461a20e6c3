package org.openhall.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker ({@code /usr/sbin/mosquitto}) on a free port of 127.0.0.1, with
 * persistence in a folder, so that persistent sessions (and their queued QoS 1 messages) and
 * retained messages survive a restart on the same port. Shared by the bridge's tests and the
 * itests (which copy this package into their test bundle).
 */
public final class Mosquitto implements AutoCloseable {

    public static final Path BINARY = Path.of(System.getProperty("mosquitto.binary", "/usr/sbin/mosquitto"));

    public final int port;
    public final Path dir;
    private final Path config;
    private final int[] ports;
    private Process process;

    public Mosquitto(Path dir) throws IOException {
        this(dir, new String[0]);
    }

    /** As above, with more lines for its configuration file (e.g. {@code max_queued_messages 0}). */
    public Mosquitto(Path dir, String... extraConfig) throws IOException {
        this(dir, List.of("persistence true", "persistence_location " + dir + "/", "autosave_interval 0", "log_type all"),
                extraConfig);
    }

    /**
     * A broker for measurements: nothing persisted, only errors and warnings logged, so that the
     * broker's own disk writes do not enter the figures.
     */
    public static Mosquitto lean(Path dir, String... extraConfig) throws IOException {
        return new Mosquitto(dir, List.of("persistence false", "log_type error", "log_type warning"), extraConfig);
    }

    private Mosquitto(Path dir, List<String> base, String... extraConfig) throws IOException {
        assertTrue(Files.isExecutable(BINARY), BINARY + " is required (apt-get install -y mosquitto)");
        this.dir = dir;
        port = freePort();
        ports = new int[] { port };
        config = dir.resolve("mosquitto.conf");
        Files.writeString(config, String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "user root",
                "log_dest file " + dir.resolve("mosquitto.log"),
                String.join("\n", base),
                String.join("\n", extraConfig), ""));
    }

    /**
     * A broker with a configuration file of the test's own (its listeners, TLS, users, ACL …),
     * e.g. the example configuration with its ports replaced. {@link #start()} waits until it
     * listens on every one of {@code ports}; {@link #port} is the first.
     */
    public static Mosquitto configured(Path dir, String configuration, int... ports) throws IOException {
        return new Mosquitto(dir, configuration, ports);
    }

    private Mosquitto(Path dir, String configuration, int[] ports) throws IOException {
        assertTrue(Files.isExecutable(BINARY), BINARY + " is required (apt-get install -y mosquitto)");
        assertTrue(ports.length > 0, "at least one port");
        this.dir = dir;
        this.port = ports[0];
        this.ports = ports.clone();
        config = dir.resolve("mosquitto.conf");
        Files.writeString(config, configuration);
    }

    /** A port that was free a moment ago (for a listener of {@link #configured}). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** What the broker logged to its standard output (start-up errors). */
    public String output() throws IOException {
        Path out = dir.resolve("mosquitto.out");
        return Files.exists(out) ? Files.readString(out) : "";
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    public void start() throws Exception {
        process = new ProcessBuilder(BINARY.toString(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int p : ports) {
            awaitListening(p, deadline);
        }
    }

    private void awaitListening(int p, long deadline) throws Exception {
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", p), 200);
                return;
            } catch (IOException notYet) {
                if (process.waitFor(20, TimeUnit.MILLISECONDS)) {
                    fail("mosquitto exited with " + process.exitValue() + ": " + output());
                }
            }
        }
        fail("mosquitto did not listen on " + p + " within 10 s: " + output());
    }

    /** SIGTERM: Mosquitto saves its persistence file and exits. */
    public void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "mosquitto stopped");
        }
    }

    /**
     * SIGSTOP: the broker is stuck (its connections stay open, nothing is read or answered), as a
     * hung or swapped-out broker. {@link #resume()} or {@link #close()} ends it.
     */
    public void suspend() throws Exception {
        signal("-STOP");
    }

    /** SIGCONT after {@link #suspend()}. */
    public void resume() throws Exception {
        signal("-CONT");
    }

    private void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill " + signal + " mosquitto");
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
