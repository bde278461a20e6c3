package org.openhall.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Moves a copy of the demo hall's configuration off the demo's fixed ports: its embedded broker
 * (1883, WebSocket 8083) and its local connection go to free ports, since other tests on this
 * machine may use the fixed ones.
 */
public final class HallPorts {

    private HallPorts() {
    }

    /**
     * Rewrites {@code org.openhall.mqtt.broker.cfg} and {@code org.openhall.mqtt.connection-local.cfg}
     * in {@code etc}.
     *
     * @return the MQTT port and the WebSocket port
     */
    public static int[] moveToFreePorts(Path etc) throws IOException {
        int port = freePort();
        int wsPort = freePort();
        Path broker = etc.resolve("org.openhall.mqtt.broker.cfg");
        Files.writeString(broker, Files.readString(broker, StandardCharsets.UTF_8)
                .replaceAll("(?m)^port = \\d+", "port = " + port)
                .replaceAll("(?m)^websocketPort = \\d+", "websocketPort = " + wsPort), StandardCharsets.UTF_8);
        Path local = etc.resolve("org.openhall.mqtt.connection-local.cfg");
        Files.writeString(local, Files.readString(local, StandardCharsets.UTF_8)
                .replaceAll("(?m)^uri = .*", "uri = tcp://127.0.0.1:" + port), StandardCharsets.UTF_8);
        return new int[] {port, wsPort};
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
