package org.openhall.mqtt.broker.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.openhall.mqtt.broker.internal.EmbeddedBrokerEdgeTest.client;
import static org.openhall.mqtt.broker.internal.EmbeddedBrokerEdgeTest.message;
import static org.openhall.mqtt.broker.internal.EmbeddedBrokerEdgeTest.poll;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT over TLS ({@code sslPort}) and secure WebSocket ({@code wssPort}) on the embedded broker,
 * with a key and a self-signed certificate that keytool makes for the test; clients trust it only
 * through a trust store made from that certificate.
 */
class BrokerTlsTest {

    @TempDir
    static Path dir;
    static BrokerComponent broker;
    static int port;
    static int sslPort;
    static int wssPort;
    static SSLSocketFactory trusting;

    @BeforeAll
    static void start() throws Exception {
        Path keyStore = dir.resolve("broker.p12");
        Path cert = dir.resolve("broker.crt");
        Path trustStore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                keyStore.toString(), "-storepass", "broker-secret", "-keypass", "broker-secret");
        keytool("-exportcert", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass", "broker-secret", "-file",
                cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", "trust-secret");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustStore)) {
            trust.load(in, "trust-secret".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        trusting = ctx.getSocketFactory();

        port = EmbeddedBrokerEdgeTest.freePort();
        sslPort = EmbeddedBrokerEdgeTest.freePort();
        wssPort = EmbeddedBrokerEdgeTest.freePort();
        broker = EmbeddedBrokerEdgeTest.start(dir, EmbeddedBrokerEdgeTest.props("host", "127.0.0.1", "port", port,
                "websocketPort", 0, "sslPort", sslPort, "wssPort", wssPort, "tls.keyStore", keyStore.toString(),
                "tls.keyStorePassword", "broker-secret"), port);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.deactivate();
        }
    }

    @Test
    void aClientThatTrustsTheBrokersCertificateSubscribesOverTls() throws Exception {
        echo("ssl://127.0.0.1:" + sslPort, "tls-screen");
    }

    @Test
    void aClientThatTrustsTheBrokersCertificateSubscribesOverSecureWebSocket() throws Exception {
        echo("wss://127.0.0.1:" + wssPort + "/mqtt", "wss-screen");
    }

    @Test
    void withoutTheTrustStoreTheHandshakeFails() {
        assertThrows(MqttException.class,
                () -> client("ssl://127.0.0.1:" + sslPort, "untrusting", null, null, SSLContext.getDefault().getSocketFactory())
                        .close());
    }

    static void echo(String uri, String id) throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        try (MqttClient c = client(uri, id, null, null, trusting)) {
            c.subscribe("tls/" + id, 1, (t, m) -> got.add(new String(m.getPayload(), UTF_8)));
            c.publish("tls/" + id, message("over " + uri, 1, false));
            poll("the echo over " + uri, () -> got.contains("over " + uri));
        }
        assertEquals(List.of("over " + uri), got);
    }

    static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("keytool did not finish: " + cmd);
        }
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertEquals(0, p.exitValue(), "keytool " + String.join(" ", args) + ": " + out);
    }
}
