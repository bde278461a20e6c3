package org.openhall.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What systemd is for a {@code Type=notify} service: a real AF_UNIX datagram socket that receives
 * sd_notify messages ({@code READY=1}, {@code WATCHDOG=1}, …). socat binds it ({@code UNIX-RECV})
 * and, with {@code -v}, writes a header with the length of every datagram before its bytes, so
 * that messages keep their boundaries. Java 17 cannot open such a socket itself; socat is one of
 * the packages the tests need anyway.
 */
public final class NotifyListener implements AutoCloseable {

    /** One datagram, with the {@link System#nanoTime()} at which it was read. */
    public record Message(String text, long nanos) {
        public boolean has(String assignment) {
            return text.lines().anyMatch(assignment::equals);
        }
    }

    private static final Pattern HEADER = Pattern.compile("> \\S+ \\S+\\s+length=(\\d+) from=\\d+ to=\\d+\n");

    public final Path socket;
    private final Process socat;
    private final Thread reader;
    private final List<Message> messages = new ArrayList<>();

    public NotifyListener(Path socket) throws IOException, InterruptedException {
        this.socket = socket;
        socat = new ProcessBuilder("socat", "-u", "-v", "UNIX-RECV:" + socket, "OPEN:/dev/null")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        reader = new Thread(this::read, "notify-listener");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(socket)) {
            if (!socat.isAlive() || System.nanoTime() > deadline) {
                fail("socat did not bind " + socket + " (alive " + socat.isAlive() + ")");
            }
            socat.waitFor(20, TimeUnit.MILLISECONDS); // poll for the socket file, or notice the exit
        }
    }

    private void read() {
        try (InputStream in = socat.getErrorStream()) {
            StringBuilder pending = new StringBuilder();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0;) {
                pending.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                while (true) {
                    Matcher m = HEADER.matcher(pending);
                    if (!m.lookingAt()) {
                        break;
                    }
                    int length = Integer.parseInt(m.group(1));
                    if (pending.length() < m.end() + length) {
                        break;
                    }
                    byte[] body = pending.substring(m.end(), m.end() + length).getBytes(StandardCharsets.ISO_8859_1);
                    pending.delete(0, m.end() + length);
                    synchronized (messages) {
                        messages.add(new Message(new String(body, StandardCharsets.UTF_8), System.nanoTime()));
                        messages.notifyAll();
                    }
                }
            }
        } catch (IOException e) {
            // socat ended
        }
    }

    /** Every message so far. */
    public List<Message> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /** Waits for the first message at index {@code from} or later that matches; {@code null} on timeout. */
    public Message await(int from, Predicate<Message> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (messages) {
            for (int i = from;; ) {
                for (; i < messages.size(); i++) {
                    if (matching.test(messages.get(i))) {
                        return messages.get(i);
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return null;
                }
                messages.wait(left);
            }
        }
    }

    /** How many messages so far. */
    public int size() {
        synchronized (messages) {
            return messages.size();
        }
    }

    @Override
    public void close() throws InterruptedException {
        socat.destroy();
        if (!socat.waitFor(5, TimeUnit.SECONDS)) {
            socat.destroyForcibly();
            socat.waitFor(5, TimeUnit.SECONDS);
        }
        reader.join(5_000);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // a leftover socket file in a temporary folder
        }
    }
}
