package org.openhall.mqtt.broker.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;

/**
 * A raw MQTT 3.1.1 client on a socket, for what no client library does on purpose: a CONNECT and a
 * SUBSCRIBE in one write, a user name without a password, a PUBLISH with the DUP flag.
 */
final class RawMqtt implements AutoCloseable {

    record Packet(int type, int flags, byte[] body) {
    }

    private final Socket socket;
    private final DataInputStream in;

    RawMqtt(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
    }

    void write(byte[]... packets) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : packets) {
            all.writeBytes(p);
        }
        socket.getOutputStream().write(all.toByteArray());
        socket.getOutputStream().flush();
    }

    /** The next packet, or null if the broker closed the connection. */
    Packet read() throws IOException {
        int first;
        try {
            first = in.readUnsignedByte();
        } catch (EOFException closed) {
            return null;
        }
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            length |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        byte[] body = new byte[length];
        in.readFully(body);
        return new Packet(first >> 4, first & 0x0f, body);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    static byte[] connect(String clientId, String user, String password) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        str(v, "MQTT");
        v.write(4);
        int flags = 0x02; // clean session
        if (user != null) {
            flags |= 0x80;
        }
        if (password != null) {
            flags |= 0x40;
        }
        v.write(flags);
        v.write(0);
        v.write(60); // keep alive
        str(v, clientId);
        if (user != null) {
            str(v, user);
        }
        if (password != null) {
            str(v, password);
        }
        return packet(0x10, v.toByteArray());
    }

    static byte[] subscribe(int packetId, String filter, int qos) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        v.write(packetId >> 8);
        v.write(packetId & 0xff);
        str(v, filter);
        v.write(qos);
        return packet(0x82, v.toByteArray());
    }

    static byte[] publish(String topic, String payload, int qos, int packetId, boolean dup) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        str(v, topic);
        if (qos > 0) {
            v.write(packetId >> 8);
            v.write(packetId & 0xff);
        }
        v.writeBytes(payload.getBytes(UTF_8));
        return packet(0x30 | (dup ? 0x08 : 0) | (qos << 1), v.toByteArray());
    }

    private static void str(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(UTF_8);
        out.write(b.length >> 8);
        out.write(b.length & 0xff);
        out.writeBytes(b);
    }

    private static byte[] packet(int header, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header);
        int n = body.length;
        do {
            int d = n % 128;
            n /= 128;
            out.write(n > 0 ? d | 0x80 : d);
        } while (n > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }
}
