package org.openhall.device.copier.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype description of a copy counter module's file; {@link Config} enforces it. The per-copier
 * keys {@code copier.<id>.*} depend on the ids in {@code copiers} and cannot be listed here: see
 * docs/devices.md.
 */
final class Ocds {

    private Ocds() {
    }

    @ObjectClassDefinition(id = "org.openhall.copier", name = "OpenHall copy counter module (Modbus RTU/TCP)",
            description = "One Modbus I/O module counting copiers' pages. File etc/org.openhall.copier-<name>.cfg. Per copier <id> of copiers: "
                    + "copier.<id>.counter (holding:N or input:N), copier.<id>.width (16, 32), copier.<id>.wordOrder (high-first, low-first), "
                    + "copier.<id>.jam and copier.<id>.trayEmpty (discrete:N or coil:N), copier.<id>.name")
    @interface Module {
        @AttributeDefinition(name = "Module id", description = "For logs; letters, digits, '.', '_', '-'")
        String module_id();

        @AttributeDefinition(name = "Link", description = "serial:/dev/ttyUSB0 (Modbus RTU on RS-485) or tcp:HOST:502 (Modbus TCP gateway)")
        String link();

        @AttributeDefinition(name = "Unit id", description = "The module's Modbus address on the bus, 1..247", required = false)
        int unitId() default 1;

        @AttributeDefinition(name = "Baud", required = false)
        int baud() default 9600;

        @AttributeDefinition(name = "Data bits", required = false)
        int dataBits() default 8;

        @AttributeDefinition(name = "Stop bits", required = false)
        int stopBits() default 1;

        @AttributeDefinition(name = "Parity", description = "N, E, O, M or S", required = false)
        String parity() default "N";

        @AttributeDefinition(name = "Copiers", description = "Device ids of the copiers this module counts, e.g. copier1,copier2")
        String copiers();

        @AttributeDefinition(name = "Poll interval (ms)", required = false)
        int pollMillis() default 1000;

        @AttributeDefinition(name = "Answer timeout (ms)", description = "Per Modbus request", required = false)
        int timeoutMillis() default 300;

        @AttributeDefinition(name = "Attempts", description = "Per Modbus request, the first included", required = false)
        int attempts() default 2;

        @AttributeDefinition(name = "Largest step", description = "The most pages a copier makes between two polls: a counter going back by a wrap worth at most this is a wrap-around, otherwise a module reset", required = false)
        long maxStep() default 2000;

        @AttributeDefinition(name = "Copy service category", description = "The queue category of the copy service (e.g. D): copier alerts name it", required = false)
        String category();

        @AttributeDefinition(name = "Time zone", description = "Of the day pages are counted for", required = false)
        String zone() default "Asia/Shanghai";

        @AttributeDefinition(name = "Fault alert text", description = "{name}, {detail}, {id}", required = false)
        String text_fault() default "{name}{detail},请处理";
    }
}
