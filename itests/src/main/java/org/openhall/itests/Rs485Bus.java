package org.openhall.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An RS-485 bus behind a serial-to-Ethernet converter (a local TCP port) with one caller keypad
 * at address 1 and one evaluator pad at address 2, speaking the FF 68 L L 68 frames of
 * docs/devices.md. Written from the document, not from the drivers' code.
 */
final class Rs485Bus implements AutoCloseable {

    static final Charset GB18030 = Charset.forName("GB18030");

    /** What a device's display showed. */
    record Shown(int command, int flagsOrToken, String text) {
    }

    private final ServerSocket server = new ServerSocket(0);
    private final Thread thread = new Thread(this::run, "rs485-bus-emulator");
    private volatile boolean closed;
    private final Deque<byte[]> keypadPresses = new ArrayDeque<>();
    private final Deque<byte[]> evaluatorPresses = new ArrayDeque<>();
    private int keypadSeq = 1;
    private int evaluatorSeq = 1;
    private volatile int token;
    final List<Shown> keypadDisplay = new CopyOnWriteArrayList<>();
    final List<Shown> evaluatorDisplay = new CopyOnWriteArrayList<>();

    Rs485Bus() throws IOException {
        server.setSoTimeout(50);
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    synchronized void pressKey(int key, String input) {
        byte[] in = input.getBytes(StandardCharsets.US_ASCII);
        byte[] d = new byte[in.length + 2];
        d[0] = (byte) keypadSeq++;
        d[1] = (byte) key;
        System.arraycopy(in, 0, d, 2, in.length);
        keypadPresses.add(d);
    }

    synchronized void rate(int level) {
        evaluatorPresses.add(new byte[] { (byte) evaluatorSeq++, (byte) level, (byte) token });
    }

    synchronized boolean idle() {
        return keypadPresses.isEmpty() && evaluatorPresses.isEmpty();
    }

    boolean armed() {
        return token != 0;
    }

    static byte[] frame(int address, int command, byte[] data) {
        int l = data.length + 2;
        byte[] f = new byte[l + 7];
        f[0] = (byte) 0xFF;
        f[1] = 0x68;
        f[2] = (byte) l;
        f[3] = (byte) l;
        f[4] = 0x68;
        f[5] = (byte) address;
        f[6] = (byte) command;
        System.arraycopy(data, 0, f, 7, data.length);
        int cs = 0;
        for (int i = 5; i < l + 5; i++) {
            cs += f[i] & 0xFF;
        }
        f[l + 5] = (byte) cs;
        f[l + 6] = 0x16;
        return f;
    }

    private void run() {
        while (!closed) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(50);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                ByteArrayOutputStream pending = new ByteArrayOutputStream();
                byte[] buf = new byte[256];
                while (!closed) {
                    int n;
                    try {
                        n = in.read(buf);
                    } catch (SocketTimeoutException e) {
                        continue;
                    }
                    if (n < 0) {
                        break;
                    }
                    pending.write(buf, 0, n);
                    byte[] all = pending.toByteArray();
                    int used = 0;
                    while (all.length - used >= 5) {
                        if ((all[used] & 0xFF) != 0xFF || all[used + 1] != 0x68) {
                            used++;
                            continue;
                        }
                        int total = (all[used + 2] & 0xFF) + 7;
                        if (all.length - used < total) {
                            break;
                        }
                        byte[] f = Arrays.copyOfRange(all, used, used + total);
                        used += total;
                        byte[] answer = answer(f[5] & 0xFF, f[6] & 0xFF, Arrays.copyOfRange(f, 7, total - 2));
                        if (answer != null) {
                            out.write(answer);
                            out.flush();
                        }
                    }
                    pending.reset();
                    pending.write(all, used, all.length - used);
                }
            } catch (SocketTimeoutException e) {
                // waiting for the link
            } catch (IOException e) {
                // the link went away
            }
        }
    }

    private synchronized byte[] answer(int address, int command, byte[] d) {
        if (address == 1) {
            switch (command) {
            case 0x10 -> {
                ack(keypadPresses, d[0]);
                byte[] head = keypadPresses.peek();
                return frame(1, 0x90, head == null ? new byte[0] : head);
            }
            case 0x11 -> {
                ack(keypadPresses, d[0]);
                keypadDisplay.add(new Shown(command, d[1], new String(d, 2, d.length - 2, GB18030)));
                return frame(1, 0x91, new byte[0]);
            }
            default -> {
                return null;
            }
            }
        }
        if (address == 2) {
            switch (command) {
            case 0x20 -> {
                ack(evaluatorPresses, d[0]);
                byte[] head = evaluatorPresses.peek();
                return frame(2, 0xA0, head == null ? new byte[0] : head);
            }
            case 0x21 -> {
                token = d[0] & 0xFF;
                evaluatorDisplay.add(new Shown(command, token, new String(d, 2, d.length - 2, GB18030)));
                return frame(2, 0xA1, new byte[0]);
            }
            case 0x22 -> {
                token = 0;
                evaluatorDisplay.add(new Shown(command, 0, new String(d, GB18030)));
                return frame(2, 0xA2, new byte[0]);
            }
            default -> {
                return null;
            }
            }
        }
        return null;
    }

    private static void ack(Deque<byte[]> presses, byte seq) {
        byte[] head = presses.peek();
        if (head != null && head[0] == seq) {
            presses.poll();
        }
    }

    @Override
    public void close() throws Exception {
        closed = true;
        thread.join(2000);
        server.close();
    }
}
