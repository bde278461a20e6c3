package org.openhall.mqtt.bridge.internal.publisher;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

import org.openhall.mqtt.bridge.internal.outbox.Outbox;
import org.openhall.mqtt.bridge.internal.outbox.OutboxMessage;
import org.openhall.mqtt.bridge.internal.outbox.OutboxMessage.Kind;
import org.openhall.mqtt.bridge.internal.payload.Announcements;
import org.openhall.mqtt.bridge.internal.payload.HallOpenState;
import org.openhall.mqtt.bridge.internal.payload.Json;
import org.openhall.mqtt.bridge.internal.payload.Payloads;

/**
 * Child process of {@link OutboxPublisherTest}: connects a publisher, publishes the online status,
 * prints "READY" once the broker acknowledged it, and waits to be killed.
 */
public final class PublisherChild {

    private PublisherChild() {
    }

    public static void main(String[] args) throws Exception {
        String root = "openhall/v1/test/";
        Payloads payloads = new Payloads("test", Announcements.defaults(), 10);
        Outbox outbox = Outbox.open(Path.of(args[1]), Outbox.DEFAULT_QUOTA, root + "events/gap", (a, b) -> new byte[0]);
        CountDownLatch connected = new CountDownLatch(1);
        OutboxPublisher publisher = new OutboxPublisher(outbox, new OutboxPublisher.Settings(args[0], "hall-child",
                root + "status", Json.bytes(Payloads.statusOffline()), Duration.ofSeconds(5), Duration.ofMillis(50),
                Duration.ofMillis(400)), () -> {
                    Instant now = Instant.now();
                    outbox.add(OutboxMessage.of(Kind.STATE, root + "status",
                            Json.bytes(payloads.statusOnline("测试大厅", "0.1.0", now, HallOpenState.OPEN, now)), true, 0));
                    connected.countDown();
                });
        publisher.start();
        connected.await();
        while (outbox.size() > 0) {
            publisher.wakeUp();
            Thread.onSpinWait();
        }
        System.out.println("READY");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
