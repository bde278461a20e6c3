package org.openhall.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;

/**
 * Issue 17, point 6: a client's value with a newline or a NUL in it cannot forge log lines or
 * make the log binary. The hall's real logback.xml (the one this fragment ships), a real
 * rolling log file, and the console appender's real output.
 */
class LogInjectionTest {

    static final String FORGED = "r1\n08:40:02.004 ERROR QueueEngine - FORGED LINE\r\nend\u0000nul\u0085nel\u2028ls";

    @TempDir
    Path dir;

    @Test
    void controlCharactersOfLoggedValuesAreEscapedInBothAppenders() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = System.out;
        LoggerContext context = new LoggerContext();
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        try {
            context.setMDCAdapter(new LogbackMDCAdapter()); // what slf4j's provider sets
            context.start();
            context.putProperty("openhall.log.dir", dir.toString());
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            URL config = LogInjectionTest.class.getClassLoader().getResource("logback.xml");
            configurator.doConfigure(config);
            List<Status> errors = context.getStatusManager().getCopyOfStatusList().stream()
                    .filter(s -> s.getLevel() >= Status.WARN).toList();
            assertEquals(List.of(), errors, "logback.xml configures without warnings");

            Logger log = context.getLogger("org.openhall.queue.core.internal.engine.QueueEngine");
            log.info("Request {} done", FORGED);
            log.error("Refused: {}", "x", new IllegalStateException("bad id " + FORGED,
                    new IllegalArgumentException("cause\nFORGED CAUSE")));
            log.info("tab\tstays, 中文 stays");
            assertEquals(List.of(), context.getStatusManager().getCopyOfStatusList().stream()
                    .filter(s -> s.getLevel() >= Status.WARN).toList(), "every line was appended");
        } finally {
            context.stop(); // flushes and closes the file
            System.setOut(out);
        }

        byte[] file = Files.readAllBytes(dir.resolve("openhall.log"));
        for (String text : List.of(new String(file, StandardCharsets.UTF_8), console.toString(StandardCharsets.UTF_8))) {
            assertFalse(text.indexOf('\u0000') >= 0, "no NUL in the log");
            List<String> lines = text.lines().toList();
            assertTrue(lines.get(0).endsWith("Request r1\\n08:40:02.004 ERROR QueueEngine - FORGED LINE\\r\\nend\\u0000nul"
                    + "\\u0085nel\\u2028ls done"), lines.get(0));
            assertTrue(lines.get(1).endsWith("Refused: x"), lines.get(1));
            assertTrue(lines.get(2).startsWith("java.lang.IllegalStateException: bad id r1\\n08:40:02.004 ERROR"),
                    lines.get(2));
            for (String line : lines) {
                assertFalse(line.startsWith("08:40:02.004") || line.contains("FORGED") && !line.contains("\\n"),
                        "a forged line: " + line);
            }
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("Caused by: java.lang.IllegalArgumentException: cause\\nFORGED CAUSE")),
                    text);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("\tat org.openhall.logging.LogInjectionTest")),
                    "the stack trace keeps its lines");
            assertTrue(lines.get(lines.size() - 1).endsWith("tab\tstays, 中文 stays"), lines.get(lines.size() - 1));
        }
    }

    @Test
    void escape() {
        assertEquals("plain 中文 😀\ttab", LogText.escape("plain 中文 😀\ttab"));
        assertEquals("a\\nb\\rc\\u0000d\\u001be\\u007ff\\u009bg", LogText.escape("a\nb\rc\u0000d\u001be\u007ff\u009bg"));
    }
}
