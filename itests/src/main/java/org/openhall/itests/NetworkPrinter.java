package org.openhall.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A minimal ESC/POS network printer on a local TCP port (as on port 9100): answers every DLE EOT
 * status request with 0x12 ("all well") unless {@link #silent}, and keeps every other byte it was
 * sent, so a test can look for a ticket number in it.
 */
final class NetworkPrinter implements AutoCloseable {

    private final ServerSocket server;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final Thread thread;
    private volatile boolean closed;
    /** When set, status requests get no answer: a printer that hangs. */
    volatile boolean silent;

    NetworkPrinter() throws IOException {
        server = new ServerSocket(0);
        server.setSoTimeout(50);
        thread = new Thread(this::run, "itest-network-printer");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void run() {
        while (!closed) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(50);
                InputStream in = s.getInputStream();
                int state = 0;
                while (!closed) {
                    int b;
                    try {
                        b = in.read();
                    } catch (SocketTimeoutException e) {
                        continue;
                    }
                    if (b < 0) {
                        break;
                    }
                    // DLE EOT n: the third byte is n; answer "ready".
                    if (state == 2) {
                        if (!silent) {
                            s.getOutputStream().write(0x12);
                            s.getOutputStream().flush();
                        }
                        state = 0;
                    } else if (b == 0x10 && state == 0) {
                        state = 1;
                    } else if (b == 0x04 && state == 1) {
                        state = 2;
                    } else {
                        state = 0;
                        synchronized (received) {
                            received.write(b);
                        }
                    }
                }
            } catch (SocketTimeoutException e) {
                // no connection yet
            } catch (IOException e) {
                // the driver went away (bundle stopped): wait for the next connection
            }
        }
    }

    String text() {
        synchronized (received) {
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() throws Exception {
        closed = true;
        thread.join(2000);
        server.close();
    }
}
