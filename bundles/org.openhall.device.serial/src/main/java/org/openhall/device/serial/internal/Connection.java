package org.openhall.device.serial.internal;

import java.io.IOException;

/** One open port or socket. Used by one reader thread and, under the link's lock, one writer. */
public interface Connection extends AutoCloseable {

    /**
     * Reads what is available, waiting at most about 100 ms. Returns the number of bytes read
     * (0 when nothing came), or -1 when the port or socket is gone.
     */
    int read(byte[] buffer) throws IOException;

    void write(byte[] data) throws IOException;

    /** Whether the port still looks present (e.g. its device node or link still exists). */
    boolean alive();

    String describe();

    @Override
    void close();
}
