package org.openhall.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An RS-485 bus of LED window displays behind a serial-to-Ethernet converter, on a local TCP
 * port: decodes the window display frames of docs/devices.md ("Window display protocol"),
 * records what each address shows, and answers every valid frame with the 6-byte ACK. An address
 * can be made silent (its display lost power: it forgets its content).
 */
final class DisplayBus implements AutoCloseable {

    /** What a display shows. */
    record Shown(String text, boolean blink) {
    }

    private static final Charset GB2312 = Charset.forName("GB2312");

    private final ServerSocket server;
    private final Thread thread;
    private final Map<Integer, List<Shown>> shown = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> blank = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> silent = new ConcurrentHashMap<>();
    private final List<Integer> addresses;
    private volatile boolean closed;

    DisplayBus(Integer... addresses) throws IOException {
        this.addresses = List.of(addresses);
        for (int a : addresses) {
            shown.put(a, new CopyOnWriteArrayList<>());
            blank.put(a, true);
        }
        server = new ServerSocket(0);
        server.setSoTimeout(50);
        thread = new Thread(this::run, "itest-display-bus");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Everything address {@code a} was sent to show, in order. */
    List<Shown> shown(int a) {
        return List.copyOf(shown.get(a));
    }

    /** What address {@code a} shows now, or null when blank. */
    Shown current(int a) {
        List<Shown> l = shown.get(a);
        return blank.get(a) || l.isEmpty() ? null : l.get(l.size() - 1);
    }

    /** Cuts (true) or restores (false) the power of address {@code a}. */
    void power(int a, boolean on) {
        if (!on) {
            blank.put(a, true);
        }
        silent.put(a, !on);
    }

    private void run() {
        while (!closed) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(50);
                serve(s.getInputStream(), s.getOutputStream());
            } catch (SocketTimeoutException e) {
                // accept again
            } catch (IOException e) {
                // connection lost: accept the next one
            }
        }
    }

    private void serve(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        byte[] buf = new byte[512];
        while (!closed) {
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                continue;
            }
            if (n < 0) {
                return;
            }
            pending.write(buf, 0, n);
            byte[] b = pending.toByteArray();
            int i = 0;
            while (i < b.length) {
                if (b[i] != 0x02) {
                    i++;
                    continue;
                }
                if (b.length - i < 4 || b.length - i < (b[i + 3] & 0xFF) + 6) {
                    break;
                }
                int len = b[i + 3] & 0xFF;
                int addr = b[i + 1] & 0xFF;
                int sum = 0;
                for (int k = i + 1; k < i + 4 + len; k++) {
                    sum += b[k] & 0xFF;
                }
                boolean good = (b[i + 5 + len] & 0xFF) == 0x03 && (sum & 0xFF) == (b[i + 4 + len] & 0xFF);
                if (!good) {
                    i++;
                    continue;
                }
                if (addresses.contains(addr) && !silent.getOrDefault(addr, false)) {
                    if ((b[i + 2] & 0xFF) == 0x31) {
                        byte[] data = Arrays.copyOfRange(b, i + 4, i + 4 + len);
                        shown.get(addr).add(new Shown(new String(data, 1, data.length - 1, GB2312), (data[0] & 1) != 0));
                        blank.put(addr, false);
                    }
                    int status = blank.get(addr) ? 0x80 : 0;
                    out.write(new byte[] { 0x02, (byte) addr, 0x06, (byte) status, (byte) ((addr + 6 + status) & 0xFF), 0x03 });
                    out.flush();
                }
                i += len + 6;
            }
            pending.reset();
            pending.write(b, i, b.length - i);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(2000);
            server.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // closing
        }
    }
}
