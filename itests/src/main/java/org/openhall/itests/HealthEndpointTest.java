package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.runtime.HallHome;
import org.openhall.api.runtime.Health;
import org.openhall.api.runtime.HealthCheck;
import org.openhall.api.runtime.HallReady;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * {@code /health} on the hall's HTTP port, scraped over real HTTP in the runtime's bundle set:
 * 200 UP with the queue core's check once the hall is READY, 503 DOWN naming a part whose check
 * fails, and UP again when it recovers (issue 16).
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class HealthEndpointTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService
    HallHome home;

    @InjectService(timeout = 60_000)
    HallReady ready;

    static Optional<HttpResponse<String>> get(HttpClient http, URI uri) {
        try {
            return Optional.of(http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (Exception notYet) {
            return Optional.empty();
        }
    }

    @Test
    void healthIsUpWhenTheHallIsReadyAndDownNamingAFailingPart() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path cfg = home.etc().resolve("org.openhall.web.cfg");
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + port + "/health");
        PrinterUpdateTest.write(cfg, "port = " + port + "\nhost = 127.0.0.1\n");
        ServiceRegistration<HealthCheck> failing = null;
        try {
            HttpResponse<String> up = Poll.until("GET /health answers 200", Duration.ofSeconds(30),
                    () -> get(http, uri).filter(r -> r.statusCode() == 200));
            assertTrue(up.body().contains("\"status\":\"UP\""), up.body());
            assertTrue(up.body().contains("\"queue\":{\"healthy\":true"), up.body());
            assertTrue(up.headers().firstValue("content-type").orElse("").startsWith("application/json"));

            failing = context.registerService(HealthCheck.class, bound -> Health.down("stalled for the test"),
                    FrameworkUtil.asDictionary(Map.of(HealthCheck.NAME_PROPERTY, "itest-part")));
            HttpResponse<String> down = get(http, uri).orElseThrow();
            assertEquals(503, down.statusCode(), down.body());
            assertTrue(down.body().contains("\"status\":\"DOWN\""), down.body());
            assertTrue(down.body().contains("\"itest-part\":{\"healthy\":false,\"detail\":\"stalled for the test\"}"),
                    down.body());

            failing.unregister();
            failing = null;
            assertEquals(200, get(http, uri).orElseThrow().statusCode(), "up again when the part recovers");
        } finally {
            if (failing != null) {
                failing.unregister();
            }
            Files.deleteIfExists(cfg);
        }
    }
}
