package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.runtime.HallReady;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class RuntimeBundlesTest {

    /** What the runtime must contain, whatever else the resolver adds. */
    static final Set<String> RUNTIME = Set.of(
            "org.apache.felix.scr", "org.apache.felix.configadmin", "org.apache.felix.eventadmin",
            "org.apache.felix.metatype", "org.apache.felix.log", "org.apache.felix.fileinstall",
            "org.apache.felix.gogo.runtime", "org.apache.felix.gogo.shell", "org.apache.felix.gogo.command",
            "slf4j.api", "ch.qos.logback.classic", "org.apache.felix.logback",
            "org.openhall.api", "org.openhall.boot", "org.openhall.logging");

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 30_000)
    HallReady ready;

    @Test
    void theRuntimeBundleSetIsInstalled() {
        Set<String> installed = Stream.of(context.getBundles()).map(Bundle::getSymbolicName).collect(Collectors.toSet());
        List<String> missing = RUNTIME.stream().filter(b -> !installed.contains(b)).sorted().collect(Collectors.toList());
        assertEquals(List.of(), missing, "runtime bundles missing from the framework");
    }

    @Test
    void everyBundleIsActiveOrLazilyStarting() {
        List<String> wrong = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
            boolean lazy = Constants.ACTIVATION_LAZY.equals(b.getHeaders("").get(Constants.BUNDLE_ACTIVATIONPOLICY));
            boolean ok = fragment ? b.getState() == Bundle.RESOLVED
                    : b.getState() == Bundle.ACTIVE || (lazy && b.getState() == Bundle.STARTING);
            if (!ok) {
                wrong.add(b.getSymbolicName() + " in state " + b.getState());
            }
        }
        assertEquals(List.of(), wrong, "bundles that are neither ACTIVE nor lazily STARTING");
    }

    @Test
    void theHallReportedReadinessWithItsStartupTime() {
        assertTrue(ready.startupMillis() > 0, "startup time " + ready.startupMillis());
    }
}
