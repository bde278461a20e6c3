package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped runtime as an operator meets it: started by the README's run command or as a plain
 * {@code java -jar}, stopped by SIGTERM, killed with SIGKILL and started again.
 */
class RuntimeProcessTest {

    static final Duration START = Duration.ofSeconds(60);
    /** The contract: SIGTERM ends the hall within 5 s. */
    static final Duration STOP = Duration.ofSeconds(5);
    static final Pattern STOPPED = Pattern.compile("OpenHall stopped$");

    @TempDir
    Path tmp;

    @Test
    void theRunCommandStartsTheHallPrintsReadyOnceAndSigtermStopsItCleanly() throws Exception {
        Path home = HallProcess.demoHome(tmp);
        try (HallProcess hall = HallProcess.startRunScript(home)) {
            long millis = Long.parseLong(hall.await(HallProcess.READY, START).group(1));
            assertTrue(millis > 0 && millis < START.toMillis(), "startup time " + millis);

            assertTrue(hall.terminate(STOP), "SIGTERM stopped the hall within " + STOP.toSeconds() + " s");
            hall.awaitEndOfOutput(STOP);
            assertEquals(1, hall.count(STOPPED), "every bundle was stopped before exit:\n" + hall.output());
            assertEquals(1, hall.count(HallProcess.READY), "READY is logged exactly once");
        }
        // Missing folders were created, and the log file got the same lines as the console.
        assertTrue(Files.isDirectory(home.resolve("deploy")));
        String log = Files.readString(home.resolve("data/logs/openhall.log"), StandardCharsets.UTF_8);
        assertTrue(HallProcess.READY.matcher(log).find(), "READY line in data/logs/openhall.log");
    }

    @Test
    void aSecondStartAfterKill9WorksWithoutCleanup() throws Exception {
        Path home = HallProcess.demoHome(tmp);
        try (HallProcess first = HallProcess.startJar(home)) {
            first.await(HallProcess.READY, START);
            first.kill();
            assertEquals(0, first.count(STOPPED), "SIGKILL gave the bundles no chance to stop");
        }
        assertTrue(Files.isDirectory(home.resolve("data/felix-cache")), "the killed run left its cache behind");
        try (HallProcess second = HallProcess.startJar(home)) {
            second.await(HallProcess.READY, START);
            assertTrue(second.terminate(STOP));
        }
    }

    @Test
    void byDefaultThereIsNoInteractiveShellAndAClosedStdinDoesNotStopTheHall() throws Exception {
        Path home = HallProcess.demoHome(tmp);
        try (HallProcess hall = HallProcess.startJar(home)) {
            hall.closeInput(); // as under systemd or nohup
            hall.await(HallProcess.READY, START);
            assertTrue(hall.terminate(STOP));
            hall.awaitEndOfOutput(STOP);
            // The hall was still running when SIGTERM came: the hook, not the shell, stopped it.
            assertEquals(1, hall.count(Pattern.compile("OpenHall stopping \\(signal\\)")), hall.output());
            assertEquals(0, hall.count(Pattern.compile("Welcome to Apache Felix Gogo")), hall.output());
        }
    }

    @Test
    void theRunCommandBoundsTheHeapAndExitsOnOutOfMemoryAndJavaOptsComeAfterItsOptions() throws Exception {
        Path home = HallProcess.demoHome(tmp);
        try (HallProcess hall = HallProcess.startRunScript(home, Map.of("JAVA_OPTS", "-Xmx200m"))) {
            Matcher jvm = hall.await(JVM_LINE, START);
            List<String> command = hall.commandLine();
            for (String option : runScriptJvmOptions()) {
                assertTrue(command.contains(option), option + " on the JVM's command line: " + command);
            }
            assertTrue(command.stream().anyMatch(o -> o.startsWith("-Xmx")), "the heap is bounded: " + command);
            assertTrue(command.contains("-XX:+ExitOnOutOfMemoryError"), command.toString());
            assertTrue(command.lastIndexOf("-Xmx200m") > command.lastIndexOf("-Xmx256m"),
                    "JAVA_OPTS after the hall's options, so that they win: " + command);
            // The JVM took the operator's bound, and the log says so.
            assertTrue(Long.parseLong(jvm.group(1)) <= 200, jvm.group());
            assertTrue(jvm.group(2).contains("-XX:+ExitOnOutOfMemoryError"), jvm.group());
            hall.await(HallProcess.READY, START);
            assertTrue(hall.terminate(STOP));
        }
    }

    @Test
    void theReadmesJavaJarLineHasTheJvmOptionsOfTheRunCommand() throws Exception {
        String readme = Files.readString(HallProcess.TOP.resolve("README.md"), StandardCharsets.UTF_8)
                .replaceAll("\\s+", " ");
        Matcher line = Pattern.compile("`java ([^`]*)-jar runtime/target/openhall\\.jar`").matcher(readme);
        assertTrue(line.find(), "README.md documents a java -jar line");
        List<String> documented = List.of(line.group(1).trim().split(" "));
        List<String> options = runScriptJvmOptions();
        assertFalse(options.isEmpty());
        assertTrue(documented.containsAll(options), "README " + documented + " vs bin/run " + options);
    }

    static final Pattern JVM_LINE = Pattern.compile("JVM \\S+: max heap (\\d+) MiB, options (.*)$");

    /** The JVM options bin/run ships with: its line {@code jvm=(…)}. */
    static List<String> runScriptJvmOptions() throws Exception {
        String script = Files.readString(HallProcess.TOP.resolve("bin/run"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("(?m)^jvm=\\(([^)]*)\\)").matcher(script);
        assertTrue(m.find(), "bin/run has a line jvm=(...)");
        return List.of(m.group(1).trim().split("\\s+"));
    }

    @Test
    void theConsoleFlagOpensAGogoShellOnTheTerminal() throws Exception {
        Path home = HallProcess.demoHome(tmp);
        try (HallProcess hall = HallProcess.startRunScript(home, "--console")) {
            hall.await(HallProcess.READY, START);
            // READY means ready: the queue and its commands answer at once.
            hall.send("hall:status");
            hall.await(Pattern.compile("开放政务服务大厅\\(演示\\) \\(demo\\)"), Duration.ofSeconds(10));
            hall.send("lb org.openhall");
            hall.await(Pattern.compile("Active.*OpenHall Boot"), Duration.ofSeconds(10));
            assertEquals(0, hall.count(Pattern.compile("Command not found|UNAVAILABLE")), hall.output());
            hall.send("stop 0"); // as the README says: stop 0 stops the hall (the framework is bundle 0)
            hall.awaitEndOfOutput(STOP);
            assertEquals(1, hall.count(STOPPED), hall.output());
        }
    }

    /**
     * READY means the configuration files are in force: a command right after it finds every
     * connection of etc/ running (an event posted before a connection starts is not carried by
     * it, since a new outbox starts at the queue's current seq).
     */
    @Test
    void readyComesAfterEveryConfigurationFileReachedItsComponent() throws Exception {
        Path home = HallProcess.demoHome(tmp);
        List<String> names = List.of("cloud-a", "cloud-b", "cloud-c", "cloud-d");
        for (String name : names) {
            // Nobody listens on port 9: the connections retry in the background and never hold READY back.
            Files.writeString(home.resolve("etc/org.openhall.mqtt.connection-" + name + ".cfg"),
                    "uri = tcp://127.0.0.1:9\n");
        }
        try (HallProcess hall = HallProcess.startJar(home, "-Dgosh.args=")) {
            hall.await(HallProcess.READY, START);
            hall.send("mqtt:status");
            hall.send("echo STATUS-PRINTED");
            hall.await(Pattern.compile("(?<!echo )STATUS-PRINTED"), Duration.ofSeconds(10));
            for (String name : names) {
                assertEquals(1, hall.count(Pattern.compile(Pattern.quote(name) + " +(connecting|disconnected) +tcp://127\\.0\\.0\\.1:9")),
                        name + " in mqtt:status right after READY: " + hall.output());
            }
            assertTrue(hall.terminate(STOP));
        }
    }
}
