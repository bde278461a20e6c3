package org.openhall.systemd.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.api.runtime.Health;
import org.openhall.api.runtime.HealthCheck;
import org.openhall.testsupport.NotifyListener;
import org.openhall.testsupport.NotifyListener.Message;

/**
 * The notifier against a real AF_UNIX datagram socket (socat), with health checks that answer as
 * told. The shipped hall against the same socket, with a stalled journal: the itests'
 * SystemdNotifyProcessTest.
 */
class SystemdNotifierTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    static SystemdNotifier.Config config(String... required) {
        return new SystemdNotifier.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SystemdNotifier.Config.class;
            }

            @Override
            public String[] requiredChecks() {
                return required;
            }

            @Override
            public long checkBoundMillis() {
                return 5000;
            }
        };
    }

    @Test
    void theAddressIsASockaddrUnWithItsPathOrAnAbstractName() {
        byte[] path = NotifySocket.address("/run/systemd/notify");
        ByteBuffer b = ByteBuffer.wrap(path).order(ByteOrder.nativeOrder());
        assertEquals(1, b.getShort(), "AF_UNIX");
        assertEquals("/run/systemd/notify\0", new String(path, 2, path.length - 2, StandardCharsets.UTF_8));
        byte[] abstractName = NotifySocket.address("@sd-notify");
        assertArrayEquals("\0sd-notify".getBytes(StandardCharsets.UTF_8), java.util.Arrays.copyOfRange(abstractName, 2, abstractName.length));
        assertThrows(IllegalArgumentException.class, () -> NotifySocket.address("relative"));
        assertThrows(IllegalArgumentException.class, () -> NotifySocket.address("/" + "x".repeat(107)));
    }

    @Test
    void theWatchdogIsOnlyForTheProcessItNames() {
        assertEquals(30_000_000, SystemdNotifier.watchdogMicros(Map.of("WATCHDOG_USEC", "30000000"), 42));
        assertEquals(30_000_000, SystemdNotifier.watchdogMicros(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "42"), 42));
        assertEquals(0, SystemdNotifier.watchdogMicros(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "7"), 42));
        assertEquals(0, SystemdNotifier.watchdogMicros(Map.of("WATCHDOG_USEC", "soon"), 42));
        assertEquals(0, SystemdNotifier.watchdogMicros(Map.of(), 42));
    }

    @Test
    void withoutNotifySocketItDoesNothingAndStartsNoThread() throws Exception {
        SystemdNotifier n = new SystemdNotifier(Map.of("WATCHDOG_USEC", "1000000"), 1, config("queue"), () -> false);
        n.bindReady(() -> 5);
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("systemd-notify")));
        n.deactivate();
    }

    @Test
    void readyThenWatchdogWhileHealthyNoneWhileNotAndStoppingWhenTheHallStops() throws Exception {
        try (NotifyListener systemd = new NotifyListener(tmp.resolve("notify"))) {
            AtomicReference<Health> health = new AtomicReference<>(Health.up("fine"));
            AtomicBoolean stopping = new AtomicBoolean();
            SystemdNotifier n = new SystemdNotifier(
                    Map.of("NOTIFY_SOCKET", systemd.socket.toString(), "WATCHDOG_USEC", "200000"), 1, config("queue"),
                    stopping::get);
            // Before READY the watchdog is fed (the start timeout guards a start).
            assertNotNull(systemd.await(0, m -> m.has("WATCHDOG=1"), WAIT));
            assertFalse(systemd.messages().stream().anyMatch(m -> m.has("READY=1")));

            n.bindReady(() -> 1234);
            Message ready = systemd.await(0, m -> m.has("READY=1"), WAIT);
            assertNotNull(ready);
            assertTrue(ready.has("STATUS=OpenHall READY in 1234 ms"), ready.text());

            // Ready, but the queue's check is not there: not fed.
            Message down = systemd.await(0, m -> m.text().startsWith("STATUS=OpenHall unhealthy"), WAIT);
            assertNotNull(down, "unhealthy without the queue's check: " + systemd.messages());
            assertTrue(down.text().contains("[queue]"), down.text());
            int mark = systemd.size();
            HealthCheck queue = bound -> health.get();
            n.bindCheck(queue, Map.of(HealthCheck.NAME_PROPERTY, "queue"));
            assertNotNull(systemd.await(mark, m -> m.has("WATCHDOG=1"), WAIT));
            assertNotNull(systemd.await(mark, m -> m.has("STATUS=OpenHall healthy again"), WAIT));

            health.set(Health.down("journal writer has not answered within 100 ms"));
            Message unhealthy = systemd.await(mark, m -> m.text().contains("journal writer has not answered"), WAIT);
            assertNotNull(unhealthy);
            mark = systemd.size();
            // Ten ping intervals without a ping: an observation window, not a synchronisation.
            assertNull(systemd.await(mark, m -> m.has("WATCHDOG=1"), Duration.ofSeconds(1)), systemd.messages().toString());

            health.set(Health.up("fine"));
            assertNotNull(systemd.await(mark, m -> m.has("WATCHDOG=1"), WAIT));

            stopping.set(true);
            mark = systemd.size();
            n.deactivate();
            assertNotNull(systemd.await(0, m -> m.has("STOPPING=1"), WAIT));
            assertEquals(1, systemd.messages().stream().filter(m -> m.has("STOPPING=1")).count());
            assertFalse(Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().equals("systemd-notify") && t.isAlive()), "no thread left");
        }
    }
}
