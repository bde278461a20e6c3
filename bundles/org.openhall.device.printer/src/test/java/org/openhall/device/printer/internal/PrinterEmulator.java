package org.openhall.device.printer.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import com.fazecast.jSerialComm.SerialPort;

/**
 * An ESC/POS receipt printer for tests, on the far side of a socat pseudo-terminal pair or on a
 * TCP port. It decodes what the driver sends (GB18030 text after FS &amp;, character size, QR
 * codes, cuts) into {@link Printed} slips and answers DLE EOT n with the status bytes the test sets.
 */
final class PrinterEmulator implements AutoCloseable {

    /** One line of text as printed, with its size multipliers. */
    record TextLine(String text, int width, int height) {
    }

    /** Everything printed up to a cut. */
    record Printed(List<TextLine> lines, List<String> qrCodes) {
        String text() {
            return String.join("\n", lines.stream().map(TextLine::text).toList());
        }
    }

    private interface Line {
        int read(byte[] b) throws IOException;

        void write(byte[] b) throws IOException;

        void close();
    }

    /** Status bytes answered to DLE EOT 1..4; 0x12 means all well. */
    final int[] status = { 0x12, 0x12, 0x12, 0x12 };
    volatile boolean silent;
    final AtomicInteger statusQueries = new AtomicInteger();
    /** Line noise on the next replies to DLE EOT 1..4: the true reply byte → what goes on the line. */
    private final List<Queue<IntFunction<byte[]>>> noise = List.of(new ConcurrentLinkedQueue<>(),
            new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>());
    /** How many replies noise has changed so far. */
    final AtomicInteger noisyReplies = new AtomicInteger();

    private final List<Printed> printed = new ArrayList<>();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final ByteArrayOutputStream text = new ByteArrayOutputStream();
    private List<TextLine> lines = new ArrayList<>();
    private List<String> qrs = new ArrayList<>();
    private int width = 1;
    private int height = 1;
    private boolean chinese;

    private final Thread thread;
    private final ServerSocket server;
    private volatile Line line;
    private volatile boolean closed;

    private PrinterEmulator(Line line, ServerSocket server) {
        this.line = line;
        this.server = server;
        this.thread = new Thread(this::run, "printer-emulator");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** On the far end of a pseudo-terminal (a socat link). */
    static PrinterEmulator onPty(Path link) {
        SerialPort port = SerialPort.getCommPort(link.toString());
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 50, 0);
        if (!port.openPort()) {
            throw new IllegalStateException("cannot open " + link);
        }
        return new PrinterEmulator(new Line() {
            @Override
            public int read(byte[] b) {
                return port.readBytes(b, b.length);
            }

            @Override
            public void write(byte[] b) {
                port.writeBytes(b, b.length);
            }

            @Override
            public void close() {
                port.closePort();
            }
        }, null);
    }

    /** A network printer: listens on a free local port and serves one connection at a time. */
    static PrinterEmulator onTcp() throws IOException {
        ServerSocket s = new ServerSocket(0);
        s.setSoTimeout(50);
        return new PrinterEmulator(null, s);
    }

    int port() {
        return server.getLocalPort();
    }

    synchronized List<Printed> printed() {
        return List.copyOf(printed);
    }

    void setStatus(int n, int value) {
        synchronized (status) {
            status[n - 1] = value;
        }
    }

    /**
     * Garbles the next reply to DLE EOT {@code n}: {@code line} gets the true status byte and
     * returns what the line carries instead (nothing: the reply is lost; another byte: a bit
     * error; a stray byte and then the reply: noise just before it).
     */
    void garbleNextReply(int n, IntFunction<byte[]> line) {
        noise.get(n - 1).add(line);
    }

    /** Sends bytes the driver did not ask for (line noise, a confused device). */
    void sendGarbage(byte[] bytes) throws IOException {
        Line l = line;
        if (l != null) {
            l.write(bytes);
        }
    }

    private void run() {
        byte[] buf = new byte[4096];
        while (!closed) {
            try {
                if (line == null) {
                    try {
                        Socket s = server.accept();
                        s.setSoTimeout(50);
                        line = tcp(s);
                    } catch (SocketTimeoutException e) {
                        continue;
                    }
                }
                int n = line.read(buf);
                if (n < 0) {
                    if (server == null) {
                        return; // the pseudo-terminal is gone
                    }
                    line.close();
                    line = null;
                } else if (n > 0) {
                    feed(buf, n);
                }
            } catch (IOException e) {
                if (server == null || closed) {
                    return;
                }
                line.close();
                line = null;
            }
        }
    }

    private static Line tcp(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        return new Line() {
            @Override
            public int read(byte[] b) throws IOException {
                try {
                    return in.read(b);
                } catch (SocketTimeoutException e) {
                    return 0;
                }
            }

            @Override
            public void write(byte[] b) throws IOException {
                out.write(b);
                out.flush();
            }

            @Override
            public void close() {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing
                }
            }
        };
    }

    private void feed(byte[] buf, int n) throws IOException {
        pending.write(buf, 0, n);
        byte[] b = pending.toByteArray();
        int i = 0;
        while (i < b.length) {
            int used = command(b, i);
            if (used == 0) {
                break; // incomplete: wait for more bytes
            }
            i += used;
        }
        pending.reset();
        pending.write(b, i, b.length - i);
    }

    /** Decodes one command or text byte at {@code i}; returns the bytes used, 0 when incomplete. */
    private int command(byte[] b, int i) throws IOException {
        int c = b[i] & 0xFF;
        int left = b.length - i;
        switch (c) {
        case 0x10: // DLE EOT n
            if (left < 3) {
                return 0;
            }
            statusQueries.incrementAndGet();
            if (!silent && (b[i + 1] == 0x04) && b[i + 2] >= 1 && b[i + 2] <= 4) {
                int v;
                synchronized (status) {
                    v = status[b[i + 2] - 1];
                }
                IntFunction<byte[]> garble = noise.get(b[i + 2] - 1).poll();
                byte[] reply = garble == null ? new byte[] { (byte) v } : garble.apply(v);
                if (reply.length > 0) {
                    line.write(reply);
                }
                if (garble != null) {
                    noisyReplies.incrementAndGet();
                }
            }
            return 3;
        case 0x1B: // ESC
            if (left < 2) {
                return 0;
            }
            switch (b[i + 1]) {
            case '@':
                width = 1;
                height = 1;
                chinese = false;
                return 2;
            case 'a', 'E', 'd':
                return left < 3 ? 0 : 3;
            default:
                return 2;
            }
        case 0x1C: // FS
            if (left < 2) {
                return 0;
            }
            if (b[i + 1] == '&') {
                chinese = true;
            } else if (b[i + 1] == '.') {
                chinese = false;
            }
            return 2;
        case 0x1D: // GS
            if (left < 2) {
                return 0;
            }
            if (b[i + 1] == '!') {
                if (left < 3) {
                    return 0;
                }
                width = ((b[i + 2] >> 4) & 0x07) + 1;
                height = (b[i + 2] & 0x07) + 1;
                return 3;
            }
            if (b[i + 1] == 'V') {
                if (left < 3) {
                    return 0;
                }
                int m = b[i + 2] & 0xFF;
                if (m >= 65 && left < 4) {
                    return 0;
                }
                endLine();
                synchronized (this) {
                    printed.add(new Printed(List.copyOf(lines), List.copyOf(qrs)));
                }
                lines = new ArrayList<>();
                qrs = new ArrayList<>();
                return m >= 65 ? 4 : 3;
            }
            if (b[i + 1] == '(' ) {
                if (left < 5) {
                    return 0;
                }
                int len = (b[i + 3] & 0xFF) | ((b[i + 4] & 0xFF) << 8);
                if (left < 5 + len) {
                    return 0;
                }
                if (b[i + 2] == 'k' && len >= 3 && b[i + 5] == 49 && b[i + 6] == 80) {
                    qrs.add(new String(b, i + 8, len - 3, StandardCharsets.UTF_8));
                }
                return 5 + len;
            }
            return 2;
        case 0x0A:
            endLine();
            return 1;
        default:
            text.write(c);
            return 1;
        }
    }

    private void endLine() {
        if (text.size() > 0) {
            String s = new String(text.toByteArray(), chinese ? EscPos.GB18030 : StandardCharsets.US_ASCII);
            lines.add(new TextLine(s, width, height));
            text.reset();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Line l = line;
        if (l != null) {
            l.close();
        }
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                // closing
            }
        }
    }
}
