package org.openhall.device.frames;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key presses as a device numbers them (SEQ, 1..255 in each key frame, repeated until the master
 * acknowledges it), turned into request ids for {@link org.openhall.api.queue.HallQueue}: the same
 * SEQ as the last press is a repeat (the acknowledgement was lost and the device sent it again)
 * and gets the same request id, so the core's idempotency answers it and nothing happens twice;
 * another SEQ is a new press and gets a new id. Ids are
 * {@code <device id>:<boot>:<n>-<seq>}, where {@code boot} is the driver's start time (base 36)
 * and {@code n} counts this run's presses, so they stay unique across days, wrap-arounds of SEQ
 * and restarts of the hall or of the device.
 *
 * <p>With a store file, the last press (SEQ, request id, time) is written durably before it is
 * carried out, and read back at start when it is younger than {@link #RESTART_WINDOW}: a press
 * the hall carried out just before it stopped, but could not acknowledge, is then acknowledged
 * (or answered from the core's idempotency) after the restart instead of being carried out again.
 */
public final class Presses {

    private static final Logger LOG = LoggerFactory.getLogger(Presses.class);

    /** How old a stored press may be to count as the device's pending one after a restart. */
    public static final Duration RESTART_WINDOW = Duration.ofMinutes(5);

    /** One press: its request id, and whether it repeats the last one. */
    public record Press(String requestId, boolean repeat) {
    }

    private final String prefix;
    private final Path store;
    private int lastSeq;
    private String lastId;
    private long count;

    public Presses(String deviceId, long bootMillis) {
        this(deviceId, bootMillis, null);
    }

    /** @param store where the last press is kept across restarts, or null */
    public Presses(String deviceId, long bootMillis, Path store) {
        this.prefix = deviceId + ":" + Long.toString(bootMillis, 36);
        this.store = store;
        load(bootMillis);
    }

    public synchronized Press press(int seq) {
        if (seq == lastSeq && lastId != null) {
            return new Press(lastId, true);
        }
        lastSeq = seq;
        lastId = prefix + ":" + (++count) + "-" + seq;
        save();
        return new Press(lastId, false);
    }

    /** The SEQ to acknowledge: the last press taken, 0 before the first. */
    public synchronized int acknowledge() {
        return lastId == null ? 0 : lastSeq;
    }

    private void load(long nowMillis) {
        if (store == null || !Files.exists(store)) {
            return;
        }
        try {
            String[] f = Files.readString(store, StandardCharsets.UTF_8).trim().split(" ", 3);
            long at = Long.parseLong(f[1]);
            int seq = Integer.parseInt(f[0]);
            if (f.length == 3 && seq >= 1 && seq <= 255 && nowMillis - at >= 0
                    && nowMillis - at < RESTART_WINDOW.toMillis()) {
                lastSeq = seq;
                lastId = f[2];
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Last key press of {} not read from {}: {}", prefix, store, e.toString());
        }
    }

    private void save() {
        if (store == null) {
            return;
        }
        try {
            Files.createDirectories(store.getParent());
            Path part = store.resolveSibling(store.getFileName() + ".part");
            byte[] b = (lastSeq + " " + System.currentTimeMillis() + " " + lastId + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(b));
                ch.force(true);
            }
            try {
                Files.move(part, store, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, store, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // The press is carried out all the same; only a restart in the next moments could repeat it.
            LOG.warn("Last key press of {} not kept in {}: {}", prefix, store, e.toString());
        }
    }
}
