package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.runtime.HallHome;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class HomeAndConfigurationTest {

    static final String HALL_PID = "org.openhall.hall";

    @InjectBundleContext
    BundleContext context;

    @InjectService
    HallHome home;

    @InjectService
    ConfigurationAdmin configAdmin;

    @Test
    void theHomeIsTheConfiguredFolderAndHasItsFolders() {
        assertEquals(Path.of(context.getProperty(HallHome.HOME_PROPERTY)).toAbsolutePath().normalize(), home.home());
        assertTrue(Files.isDirectory(home.etc()));
        assertTrue(Files.isDirectory(home.deploy()));
        assertTrue(Files.isDirectory(home.data().resolve("logs")));
    }

    @Test
    void configAdminReceivesTheDemoHallConfigurationFromEtc() throws IOException {
        Properties expected = new Properties();
        try (Reader in = Files.newBufferedReader(home.etc().resolve(HALL_PID + ".cfg"), StandardCharsets.UTF_8)) {
            expected.load(in);
        }
        assertFalse(expected.isEmpty(), "the demo hall configuration has entries");

        Dictionary<String, Object> actual = Poll.until("configuration " + HALL_PID, Poll.DEFAULT,
                () -> properties(HALL_PID));
        for (String key : expected.stringPropertyNames()) {
            assertEquals(expected.getProperty(key), actual.get(key), "value of " + key + " (UTF-8 intact)");
        }
    }

    Optional<Dictionary<String, Object>> properties(String pid) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid + ")");
            return found == null ? Optional.empty() : Optional.ofNullable(found[0].getProperties());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
