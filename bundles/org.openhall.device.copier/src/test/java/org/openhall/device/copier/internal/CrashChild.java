package org.openhall.device.copier.internal;

import java.nio.file.Path;
import java.util.Map;

/** A child JVM for {@link KillTest}: counts one module's copiers until it is killed with SIGKILL. */
public final class CrashChild {

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Object> config = Fixture.config("k", Path.of(args[1]), 1);
        config.put("pollMillis", "100");
        Fixture f = new Fixture(Path.of(args[0]), config);
        System.out.println("counting " + f.module.id());
        System.out.flush();
        Object never = new Object();
        synchronized (never) {
            never.wait(); // until SIGKILL
        }
    }
}
