package org.openhall.systemd.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/**
 * The sending end of systemd's notification socket ({@code $NOTIFY_SOCKET}, sd_notify(3)): an
 * AF_UNIX datagram socket, a path or, with a leading {@code @}, a name in the abstract namespace.
 *
 * <p>Through JNA and the C library because Java 17 cannot: {@code UnixDomainSocketAddress} works
 * with stream channels only ({@code DatagramChannel} refuses AF_UNIX), and libsystemd's
 * {@code sd_notify} has no Java binding in Maven Central with an OSGi manifest (info.faljse
 * SDNotify, a thin JNA wrapper itself, has none). JNA is an OSGi bundle; the calls are
 * {@code socket}, {@code sendto} and {@code close}, nothing else.
 */
final class NotifySocket implements AutoCloseable {

    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    /** Never wait for systemd (a full receive queue); never die of SIGPIPE. */
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_NOSIGNAL = 0x4000;
    /** sizeof(sun_path) on Linux. */
    static final int SUN_PATH = 108;

    /** The C library, loaded only when a notification socket is given (under systemd). */
    interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrlen)
                throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }

    private final String name;
    private final byte[] address;
    private final int fd;

    private NotifySocket(String name, byte[] address, int fd) {
        this.name = name;
        this.address = address;
        this.fd = fd;
    }

    /** Opens a socket to send to {@code notifySocket} (the value of {@code NOTIFY_SOCKET}). */
    static NotifySocket open(String notifySocket) throws IOException {
        byte[] address = address(notifySocket);
        try {
            return new NotifySocket(notifySocket, address, Holder.LIBC.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        } catch (LastErrorException e) {
            throw new IOException("socket(AF_UNIX, SOCK_DGRAM) failed: errno " + e.getErrorCode(), e);
        }
    }

    /**
     * A {@code struct sockaddr_un} of exactly the length to pass: the family in host byte order,
     * then the path with its terminating NUL, or for {@code @name} a NUL and the name without one.
     */
    static byte[] address(String notifySocket) {
        if (notifySocket == null || notifySocket.length() < 2
                || (notifySocket.charAt(0) != '/' && notifySocket.charAt(0) != '@')) {
            throw new IllegalArgumentException("NOTIFY_SOCKET is neither an absolute path nor @name: '" + notifySocket + "'");
        }
        boolean abstractName = notifySocket.charAt(0) == '@';
        byte[] path = (abstractName ? notifySocket.substring(1) : notifySocket).getBytes(StandardCharsets.UTF_8);
        int pathLength = path.length + 1; // the terminating NUL, or the leading one of an abstract name
        if (pathLength > SUN_PATH) {
            throw new IllegalArgumentException("NOTIFY_SOCKET is longer than " + (SUN_PATH - 1) + " bytes: " + notifySocket);
        }
        ByteBuffer b = ByteBuffer.allocate(2 + pathLength).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_UNIX);
        if (abstractName) {
            b.put((byte) 0).put(path);
        } else {
            b.put(path).put((byte) 0);
        }
        return b.array();
    }

    /** Sends one datagram; does not wait. */
    void send(String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        try {
            Holder.LIBC.sendto(fd, bytes, new NativeLong(bytes.length), MSG_DONTWAIT | MSG_NOSIGNAL, address, address.length);
        } catch (LastErrorException e) {
            throw new IOException("sendto(" + name + ") failed: errno " + e.getErrorCode(), e);
        }
    }

    @Override
    public void close() {
        try {
            Holder.LIBC.close(fd);
        } catch (LastErrorException e) {
            // nothing left to do with it
        }
    }
}
