package org.openhall.mqtt.bridge.internal.outbox;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.openhall.mqtt.bridge.internal.outbox.OutboxMessage.Kind;

/**
 * Child process of {@link OutboxCrashTest}: adds events seq {@code from}, {@code from+1}, … from one
 * thread and prints "ACK n" once {@code add} returned for seq n, until it is killed.
 */
public final class OutboxCrashChild {

    private OutboxCrashChild() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        long seq = Long.parseLong(args[1]);
        Outbox outbox = Outbox.open(file, Outbox.DEFAULT_QUOTA, "t/events/gap", (a, b) -> new byte[0]);
        System.out.println("READY");
        System.out.flush();
        while (true) {
            outbox.add(OutboxMessage.of(Kind.EVENT, "t/events/ticket.issued",
                    ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8), false, seq));
            System.out.println("ACK " + seq);
            System.out.flush();
            seq++;
        }
    }
}
