package org.openhall.mqtt.bridge.internal.publisher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Wraps a connection's socket factory to remember the last socket it made, so that a stop can
 * close the socket of a connection attempt under way (see {@link OutboxPublisher#close()}).
 *
 * <p>Why not {@code MqttClient.disconnectForcibly} on the attempt: in Paho 1.2.5 it does not
 * complete the attempt's token (the caller of {@code connect} waits for the whole timeout), and if
 * it comes while Paho starts its sender thread, Paho's connect thread waits for that thread for
 * ever ({@code CommsSender.start} polls for a state it can miss). A closed socket is the path Paho
 * takes whenever a broker drops a connection: the attempt fails at once with "connection lost".
 * The wrapper of an {@link SSLSocketFactory} is one too, since Paho checks that for {@code ssl://}.
 */
final class SocketTracker {

    private volatile Socket last;

    /** The last socket made, or null. */
    Socket last() {
        return last;
    }

    void forget() {
        last = null;
    }

    /** A factory that makes sockets with {@code delegate} and remembers them. */
    SocketFactory wrap(SocketFactory delegate) {
        return delegate instanceof SSLSocketFactory ssl ? new Ssl(ssl) : new Plain(delegate);
    }

    private Socket track(Socket s) {
        last = s;
        return s;
    }

    private final class Plain extends SocketFactory {
        private final SocketFactory d;

        Plain(SocketFactory d) {
            this.d = d;
        }

        @Override
        public Socket createSocket() throws IOException {
            return track(d.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return track(d.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return track(d.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return track(d.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return track(d.createSocket(address, port, localAddress, localPort));
        }
    }

    private final class Ssl extends SSLSocketFactory {
        private final SSLSocketFactory d;

        Ssl(SSLSocketFactory d) {
            this.d = d;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return d.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return d.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return track(d.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return track(d.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return track(d.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return track(d.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return track(d.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return track(d.createSocket(address, port, localAddress, localPort));
        }
    }
}
