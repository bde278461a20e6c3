package org.openhall.device.serial;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

import org.openhall.device.serial.internal.Connection;
import org.openhall.device.serial.internal.SerialConnection;
import org.openhall.device.serial.internal.TcpConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One port, owned by this link alone, shared by the devices attached to it.
 *
 * <p>Drivers never open ports themselves: they {@linkplain #attach attach} an {@link Endpoint}
 * for their device. The first attachment opens the link, the last {@link Endpoint#close()} closes
 * it. Several devices with different bus addresses on one RS-485 port attach to the same link
 * (same {@link LinkSpec#key()}), and their requests are serialized; each request has its own
 * timeout and retries, so a device that stops answering costs the others at most that time.
 *
 * <p>One thread per link ({@code openhall-link-<port>}, daemon) opens the port, reads from it and,
 * when the port disappears or fails, closes it and opens it again with a backoff from 200 ms up to
 * 5 s. Closing the last endpoint stops and joins it: no thread survives a driver's deactivation.
 * Bytes that arrive while no request waits for an answer are counted as garbled and dropped.
 */
public final class DeviceLink {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceLink.class);
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private static final Map<String, DeviceLink> LINKS = new HashMap<>();

    static final long MIN_BACKOFF_MS = 200;
    static final long MAX_BACKOFF_MS = 5000;

    /** Told when the link comes up or goes down. Called on the link's thread: return quickly. */
    public interface Listener {
        void linkUp(String description);

        void linkDown(String reason);
    }

    private final LinkSpec spec;
    private final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();
    private final Counters counters = new Counters();
    private final ReentrantLock requestLock = new ReentrantLock(true);
    private final Object rxLock = new Object();
    private final ByteArrayOutputStream rx = new ByteArrayOutputStream();
    private final Thread thread;
    private volatile Connection connection;
    private volatile boolean closed;
    private volatile String downReason = "not opened yet";
    private boolean awaiting;
    /** The longest a request on this link may hold it (timeout × attempts), as seen so far. */
    private volatile long longestRequestNanos;

    private DeviceLink(LinkSpec spec) {
        this.spec = spec;
        this.thread = new Thread(this::run, "openhall-link-" + spec.key());
        this.thread.setDaemon(true);
    }

    /**
     * Attaches a device to the link of {@code spec}, opening the link if it is the first.
     *
     * @throws IllegalStateException when the device id is attached already, or the port is owned
     *                               with other line settings
     */
    public static Endpoint attach(String deviceId, LinkSpec spec, Listener listener) {
        DeviceLink link;
        Endpoint endpoint;
        boolean start = false;
        synchronized (LINKS) {
            link = LINKS.get(spec.key());
            if (link == null) {
                link = new DeviceLink(spec);
                LINKS.put(spec.key(), link);
                start = true;
            } else if (!link.spec.equals(spec)) {
                throw new IllegalStateException("port " + spec.key() + " is owned already with the settings " + link.spec);
            }
            for (Endpoint e : link.endpoints) {
                if (e.deviceId().equals(deviceId)) {
                    throw new IllegalStateException("device " + deviceId + " is attached to " + spec.key() + " already");
                }
            }
            endpoint = new Endpoint(link, deviceId, listener);
            link.endpoints.add(endpoint);
        }
        if (start) {
            link.thread.start();
        } else if (link.connection != null) {
            listener.linkUp(link.connection.describe());
        } else {
            listener.linkDown(link.downReason);
        }
        return endpoint;
    }

    void detach(Endpoint endpoint) {
        boolean last;
        synchronized (LINKS) {
            if (!endpoints.remove(endpoint)) {
                return;
            }
            last = endpoints.isEmpty();
            if (last) {
                LINKS.remove(spec.key());
                closed = true;
            }
        }
        if (last) {
            thread.interrupt();
            synchronized (rxLock) {
                rxLock.notifyAll();
            }
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("Link thread of {} did not end within 5 s", spec.key());
            }
        }
    }

    public LinkSpec spec() {
        return spec;
    }

    /** Counters of the whole link, all devices together, garbage included. */
    public Counters counters() {
        return counters;
    }

    public boolean isUp() {
        return connection != null;
    }

    private void run() {
        long backoff = MIN_BACKOFF_MS;
        byte[] buffer = new byte[4096];
        while (!closed) {
            Connection c = connection;
            if (c == null) {
                try {
                    c = spec.kind() == LinkSpec.Kind.TCP ? TcpConnection.open(spec) : SerialConnection.open(spec);
                } catch (IOException | RuntimeException e) {
                    down(String.valueOf(e.getMessage()));
                    pause(backoff);
                    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
                    continue;
                }
                if (closed) {
                    c.close();
                    break;
                }
                connection = c;
                backoff = MIN_BACKOFF_MS;
                LOG.info("Link {} up: {}", spec.key(), c.describe());
                for (Endpoint e : endpoints) {
                    e.listener().linkUp(c.describe());
                }
                continue;
            }
            int n;
            try {
                n = c.alive() ? c.read(buffer) : -1;
            } catch (IOException | RuntimeException e) {
                n = -1;
            }
            if (n < 0) {
                lose(c, "port " + c.describe() + " disappeared or failed");
            } else if (n > 0) {
                take(buffer, n);
            }
        }
        Connection c = connection;
        connection = null;
        if (c != null) {
            c.close();
        }
        LOG.debug("Link {} closed", spec.key());
    }

    private void lose(Connection c, String reason) {
        // The reason first: a request that wakes up on the lost connection reports this one.
        downReason = reason;
        connection = null;
        c.close();
        counters.error();
        synchronized (rxLock) {
            rxLock.notifyAll();
        }
        // DEBUG, not WARN: every attached driver reports (and logs) its device OFFLINE with this
        // reason, so a WARN here made one unplug two lines (issue 17, point 10).
        LOG.debug("Link {} down: {}; reconnecting", spec.key(), reason);
        down(reason);
    }

    private void down(String reason) {
        downReason = reason;
        for (Endpoint e : endpoints) {
            e.listener().linkDown(reason);
        }
    }

    private void pause(long millis) {
        synchronized (rxLock) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            long left;
            while (!closed && (left = end - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(rxLock, left);
                } catch (InterruptedException e) {
                    return; // closing
                }
            }
        }
    }

    private void take(byte[] buffer, int n) {
        synchronized (rxLock) {
            if (awaiting) {
                rx.write(buffer, 0, n);
                rxLock.notifyAll();
                return;
            }
        }
        counters.garbled(n);
        if (endpoints.size() == 1) {
            endpoints.get(0).counters().garbled(n);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} stray bytes dropped: {}", spec.key(), HEX.formatHex(buffer, 0, Math.min(n, 64)));
        }
    }

    /** Sends a frame that has no answer. */
    void send(Endpoint endpoint, byte[] frame, Duration timeout) throws LinkException {
        lock(endpoint, timeout);
        try {
            write(endpoint, frame);
        } finally {
            requestLock.unlock();
        }
    }

    /**
     * Sends {@code request} and waits for {@code answerLength} bytes, retrying on timeout.
     * Bytes beyond the answer are dropped as garbled.
     */
    byte[] transact(Endpoint endpoint, byte[] request, int answerLength, Duration timeout, int attempts)
            throws LinkException {
        return transact(endpoint, request, answerLength, timeout, attempts, null, Duration.ZERO);
    }

    /**
     * Like {@link #transact(Endpoint, byte[], int, Duration, int)}, but strict about framing: an
     * answer must be exactly {@code answerLength} bytes followed by {@code quiet} without another
     * byte, and must pass {@code check}. Anything else is counted as a garbled frame, dropped,
     * and the request is sent again within {@code attempts}; when the last attempt was garbled
     * the request fails with {@link LinkException.Reason#GARBLED}.
     */
    byte[] transact(Endpoint endpoint, byte[] request, int answerLength, Duration timeout, int attempts,
            Predicate<byte[]> check, Duration quiet) throws LinkException {
        Duration budget = timeout.multipliedBy(Math.max(1, attempts));
        if (budget.toNanos() > longestRequestNanos) {
            longestRequestNanos = budget.toNanos();
        }
        lock(endpoint, budget);
        try {
            boolean garbledAnswer = false;
            for (int attempt = 1; attempt <= Math.max(1, attempts); attempt++) {
                garbledAnswer = false;
                synchronized (rxLock) {
                    rx.reset();
                    awaiting = true;
                }
                try {
                    write(endpoint, request);
                    byte[] answer = await(answerLength, timeout);
                    if (answer != null && check != null && !framed(answer, answerLength, quiet, check)) {
                        garbledAnswer = true;
                        garbled(endpoint, answer, attempt, attempts);
                        continue;
                    }
                    if (answer != null) {
                        endpoint.counters().received(answer.length);
                        counters.received(answer.length);
                        if (LOG.isDebugEnabled()) {
                            LOG.debug("{} <- {}: {}", spec.key(), endpoint.deviceId(), HEX.formatHex(answer));
                        }
                        return answer;
                    }
                } finally {
                    synchronized (rxLock) {
                        awaiting = false;
                        // Bytes beyond the answer, or a partial answer that timed out, are garbage
                        // (a strict answer that was garbled is counted as one garbled frame already).
                        int extra = rx.size() >= answerLength ? rx.size() - answerLength : rx.size();
                        if (extra > 0 && !garbledAnswer) {
                            counters.garbled(extra);
                            endpoint.counters().garbled(extra);
                        }
                        rx.reset();
                    }
                }
                endpoint.counters().error();
                counters.error();
                LOG.debug("{}: {} did not answer within {} ms (attempt {} of {})", spec.key(), endpoint.deviceId(),
                        timeout.toMillis(), attempt, attempts);
            }
            if (garbledAnswer) {
                throw new LinkException(LinkException.Reason.GARBLED,
                        endpoint.deviceId() + " answered garbled frames only, " + attempts + " attempts");
            }
            throw new LinkException(LinkException.Reason.TIMEOUT,
                    endpoint.deviceId() + " did not answer within " + timeout.toMillis() + " ms, " + attempts + " attempts");
        } finally {
            requestLock.unlock();
        }
    }

    /**
     * Whether a strict answer stands: no byte beyond it has come, nor comes within {@code quiet}
     * (a stray byte just before or after the real answer makes the whole answer ambiguous), and
     * the driver's check accepts it. Called while {@code awaiting}, so late bytes land in rx.
     */
    private boolean framed(byte[] answer, int answerLength, Duration quiet, Predicate<byte[]> check) {
        synchronized (rxLock) {
            long end = System.nanoTime() + quiet.toNanos();
            long left;
            while (rx.size() == answerLength && !closed && (left = end - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(rxLock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            if (rx.size() != answerLength) {
                return false;
            }
        }
        try {
            return check.test(answer);
        } catch (RuntimeException e) {
            LOG.warn("{}: answer check failed", spec.key(), e);
            return false;
        }
    }

    private void garbled(Endpoint endpoint, byte[] answer, int attempt, int attempts) {
        int size;
        synchronized (rxLock) {
            size = rx.size();
        }
        counters.garbled(size);
        endpoint.counters().garbled(size);
        if (LOG.isDebugEnabled()) {
            byte[] all;
            synchronized (rxLock) {
                all = rx.toByteArray();
            }
            LOG.debug("{} <- {}: garbled answer dropped (attempt {} of {}): {}", spec.key(), endpoint.deviceId(), attempt,
                    attempts, HEX.formatHex(all, 0, Math.min(all.length, 64)));
        }
    }


    /**
     * Sends {@code request} and waits for one frame that {@code reader} accepts, retrying on
     * timeout. What the reader skips (noise, bad checksums, other addresses, unexpected commands)
     * is counted as garbled and dropped while the wait goes on; a frame still incomplete when the
     * timeout ends is counted as garbled and the request is sent again.
     */
    byte[] transact(Endpoint endpoint, byte[] request, FrameReader reader, Duration timeout, int attempts)
            throws LinkException {
        Duration budget = timeout.multipliedBy(Math.max(1, attempts));
        if (budget.toNanos() > longestRequestNanos) {
            longestRequestNanos = budget.toNanos();
        }
        lock(endpoint, budget);
        try {
            for (int attempt = 1; attempt <= Math.max(1, attempts); attempt++) {
                synchronized (rxLock) {
                    rx.reset();
                    awaiting = true;
                }
                try {
                    write(endpoint, request);
                    byte[] answer = awaitFrame(endpoint, reader, timeout);
                    if (answer != null) {
                        endpoint.counters().received(answer.length);
                        counters.received(answer.length);
                        if (LOG.isDebugEnabled()) {
                            LOG.debug("{} <- {}: {}", spec.key(), endpoint.deviceId(), HEX.formatHex(answer));
                        }
                        return answer;
                    }
                } finally {
                    synchronized (rxLock) {
                        awaiting = false;
                        // Bytes beyond the frame, or a truncated frame at the timeout, are garbage.
                        garble(endpoint, rx.size(), "left over");
                        rx.reset();
                    }
                }
                endpoint.counters().error();
                counters.error();
                LOG.debug("{}: {} did not answer within {} ms (attempt {} of {})", spec.key(), endpoint.deviceId(),
                        timeout.toMillis(), attempt, attempts);
            }
            throw new LinkException(LinkException.Reason.TIMEOUT,
                    endpoint.deviceId() + " did not answer within " + timeout.toMillis() + " ms, " + attempts + " attempts");
        } finally {
            requestLock.unlock();
        }
    }

    /** Counts {@code n} bytes as one garbled frame of the link and of the device that was asked. */
    private void garble(Endpoint endpoint, int n, String why) {
        if (n <= 0) {
            return;
        }
        counters.garbled(n);
        endpoint.counters().garbled(n);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: {} garbled bytes for {} dropped ({})", spec.key(), n, endpoint.deviceId(), why);
        }
    }

    /** Waits for a frame the reader accepts; null at the timeout. Called without rxLock held. */
    private byte[] awaitFrame(Endpoint endpoint, FrameReader reader, Duration timeout) throws LinkException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (rxLock) {
            while (true) {
                while (rx.size() > 0) {
                    byte[] all = rx.toByteArray();
                    int verdict;
                    try {
                        verdict = reader.read(all, all.length);
                    } catch (RuntimeException e) {
                        // A reader that fails on these bytes must not kill the driver: drop them all.
                        LOG.warn("{}: frame reader of {} failed; {} bytes dropped", spec.key(), endpoint.deviceId(),
                                all.length, e);
                        verdict = -all.length;
                    }
                    if (verdict > 0 && verdict <= all.length) {
                        byte[] frame = new byte[verdict];
                        System.arraycopy(all, 0, frame, 0, verdict);
                        rx.reset();
                        rx.write(all, verdict, all.length - verdict);
                        return frame;
                    }
                    if (verdict == FrameReader.NEED_MORE || verdict > all.length) {
                        break;
                    }
                    int n = Math.min(-verdict, all.length);
                    if (LOG.isDebugEnabled()) {
                        LOG.debug("{}: garbled from {}: {}", spec.key(), endpoint.deviceId(), HEX.formatHex(all, 0, Math.min(n, 64)));
                    }
                    garble(endpoint, n, "skipped by the frame reader");
                    rx.reset();
                    rx.write(all, n, all.length - n);
                }
                long left = end - System.nanoTime();
                if (left <= 0 || closed) {
                    return null;
                }
                if (connection == null) {
                    throw new LinkException(LinkException.Reason.DOWN, "link " + spec.key() + " went down: " + downReason);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(rxLock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LinkException(LinkException.Reason.CLOSED, "interrupted");
                }
            }
        }
    }

    /**
     * Takes the link for one request. The lock is fair, so a device waits at most for one request
     * of each other device on the link: the wait is bounded by that plus its own budget.
     */
    private void lock(Endpoint endpoint, Duration own) throws LinkException {
        Duration timeout = own.plusNanos(longestRequestNanos * Math.max(0, endpoints.size() - 1));
        try {
            if (!requestLock.tryLock(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                throw new LinkException(LinkException.Reason.TIMEOUT,
                        spec.key() + " stayed busy with other devices' requests for " + timeout.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LinkException(LinkException.Reason.CLOSED, "interrupted");
        }
        if (closed || !endpoints.contains(endpoint)) {
            requestLock.unlock();
            throw new LinkException(LinkException.Reason.CLOSED, "link " + spec.key() + " is closed");
        }
    }

    private void write(Endpoint endpoint, byte[] frame) throws LinkException {
        Connection c = connection;
        if (c == null) {
            throw new LinkException(LinkException.Reason.DOWN, "link " + spec.key() + " is down: " + downReason);
        }
        try {
            c.write(frame);
        } catch (IOException | RuntimeException e) {
            endpoint.counters().error();
            counters.error();
            throw new LinkException(LinkException.Reason.DOWN, "write to " + spec.key() + " failed: " + e.getMessage());
        }
        endpoint.counters().sent(frame.length);
        counters.sent(frame.length);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} -> {}: {}", spec.key(), endpoint.deviceId(), HEX.formatHex(frame, 0, Math.min(frame.length, 256)));
        }
    }

    private byte[] await(int length, Duration timeout) throws LinkException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (rxLock) {
            while (rx.size() < length) {
                long left = end - System.nanoTime();
                if (left <= 0 || closed) {
                    return null;
                }
                if (connection == null) {
                    throw new LinkException(LinkException.Reason.DOWN, "link " + spec.key() + " went down: " + downReason);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(rxLock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LinkException(LinkException.Reason.CLOSED, "interrupted");
                }
            }
            byte[] all = rx.toByteArray();
            byte[] answer = new byte[length];
            System.arraycopy(all, 0, answer, 0, length);
            return answer;
        }
    }
}
