package org.openhall.itests;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;

import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * The baseline of the start benchmark (bin/bench): Felix with no bundles, a fresh cache, started in
 * a JVM of its own, printing the same line as the hall (milliseconds since the JVM started).
 */
public final class BareFelix {

    public static void main(String[] args) throws Exception {
        Path storage = Files.createTempDirectory("bare-felix");
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).iterator().next();
        Framework f = factory.newFramework(Map.of(Constants.FRAMEWORK_STORAGE, storage.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        f.start();
        System.out.println("OpenHall READY in " + ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
        f.stop();
        f.waitForStop(10_000);
    }
}
