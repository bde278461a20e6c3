package org.openhall.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.openhall.testsupport.HallPorts;

/** The hall runtime as a real operating-system process, with its console output. */
final class HallProcess implements AutoCloseable {

    static final Path JAR = Path.of(System.getProperty("openhall.jar", "../runtime/target/openhall.jar"));
    static final Path DEMO_ETC = Path.of(System.getProperty("openhall.demo.etc", "../runtime/demo/etc"));
    static final Path TOP = JAR.toAbsolutePath().getParent().getParent().getParent();
    static final Pattern READY = Pattern.compile("OpenHall READY in (\\d+) ms");

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private HallProcess(ProcessBuilder builder) throws IOException {
        process = builder.redirectErrorStream(true).start();
        reader = new Thread(this::readOutput, "hall-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** {@code java -jar openhall.jar} with the given home, as bin/run starts it. */
    static HallProcess startJar(Path home, String... jvmOptions) throws IOException {
        return startJar(home, Map.of(), jvmOptions);
    }

    /** As above, with more environment variables (e.g. systemd's {@code NOTIFY_SOCKET}). */
    static HallProcess startJar(Path home, Map<String, String> environment, String... jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.add("-Dopenhall.home=" + home);
        command.add("-Dlaunch.storage.dir=" + home.resolve("data/felix-cache"));
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return new HallProcess(builder);
    }

    /** The README's run command, {@code bin/run}, with {@code OPENHALL_HOME} set. */
    static HallProcess startRunScript(Path home, String... arguments) throws IOException {
        return startRunScript(home, Map.of(), arguments);
    }

    /** {@code bin/run} with {@code OPENHALL_HOME} and more environment variables (e.g. JAVA_OPTS). */
    static HallProcess startRunScript(Path home, Map<String, String> environment, String... arguments)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(TOP.resolve("bin/run").toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("OPENHALL_HOME", home.toString());
        env.putAll(environment);
        return new HallProcess(builder);
    }

    /**
     * The command line of the running process (bin/run execs java, so this is the JVM's own),
     * as the operating system shows it ({@code ps}).
     */
    List<String> commandLine() {
        return List.of(process.toHandle().info().arguments().orElseThrow(
                () -> new AssertionError("the operating system does not show the hall's command line")));
    }

    /**
     * A hall home whose etc/ is a copy of the demo hall's, without the web pages' file (it binds the
     * fixed port 8080; a test of the pages writes its own with a free port).
     */
    static Path demoHome(Path parent) throws IOException {
        Path home = parent.resolve("hall");
        Files.createDirectories(home.resolve("etc"));
        try (Stream<Path> files = Files.list(DEMO_ETC)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().equals("org.openhall.web.cfg")) {
                    continue;
                }
                Files.copy(f, home.resolve("etc").resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return home;
    }

    /**
     * Moves the demo home's embedded broker and its local connection to free ports (the demo's
     * 1883/8083 may be taken by other tests on this machine).
     *
     * @return the MQTT port and the WebSocket port
     */
    static int[] freePorts(Path home) throws IOException {
        return HallPorts.moveToFreePorts(home.resolve("etc"));
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null;) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process went away: its output ends here
        } finally {
            synchronized (lines) {
                lines.add(null); // end of output
                lines.notifyAll();
            }
        }
    }

    /** Waits for the first output line that contains a match of {@code pattern}. */
    Matcher await(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        synchronized (lines) {
            while (true) {
                for (; seen < lines.size(); seen++) {
                    String line = lines.get(seen);
                    if (line == null) {
                        throw new AssertionError("The hall ended (exit " + exitValueOrNull() + ") before printing /"
                                + pattern + "/. Output:\n" + output());
                    }
                    Matcher m = pattern.matcher(line);
                    if (m.find()) {
                        return m;
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("No line matching /" + pattern + "/ within " + timeout.toSeconds()
                            + " s. Output:\n" + output());
                }
                lines.wait(left);
            }
        }
    }

    /** Waits for the output to end (the process closed it by exiting). */
    void awaitEndOfOutput(Duration timeout) throws InterruptedException {
        reader.join(timeout.toMillis());
    }

    long count(Pattern pattern) {
        synchronized (lines) {
            return lines.stream().filter(l -> l != null && pattern.matcher(l).find()).count();
        }
    }

    String output() {
        synchronized (lines) {
            StringBuilder sb = new StringBuilder();
            lines.stream().filter(l -> l != null).forEach(l -> sb.append(l).append('\n'));
            return sb.toString();
        }
    }

    void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    void closeInput() throws IOException {
        process.getOutputStream().close();
    }

    /** SIGTERM, as systemd or Ctrl-C would send; returns whether the process ended in time. */
    boolean terminate(Duration timeout) throws InterruptedException {
        // Through the handle: Process.destroy() would also close our end of its output.
        process.toHandle().destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGKILL: no shutdown hook, no bundle stop, like a power cut for the process. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private Integer exitValueOrNull() {
        return process.isAlive() ? null : process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
        reader.join(5_000);
    }
}
