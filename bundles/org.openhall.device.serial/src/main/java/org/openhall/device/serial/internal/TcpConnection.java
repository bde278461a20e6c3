package org.openhall.device.serial.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

import org.openhall.device.serial.LinkSpec;

/** A raw TCP stream: a serial-to-Ethernet converter or a network printer (port 9100). */
public final class TcpConnection implements Connection {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String name;

    private TcpConnection(Socket socket, String name) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.name = name;
    }

    public static TcpConnection open(LinkSpec spec) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(spec.host(), spec.port()), 2000);
            s.setSoTimeout(100);
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            return new TcpConnection(s, spec.key());
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public int read(byte[] buffer) throws IOException {
        try {
            return in.read(buffer);
        } catch (SocketTimeoutException e) {
            return 0;
        }
    }

    @Override
    public void write(byte[] data) throws IOException {
        out.write(data);
        out.flush();
    }

    @Override
    public boolean alive() {
        return !socket.isClosed();
    }

    @Override
    public String describe() {
        return name;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a broken socket: nothing left to do
        }
    }
}
