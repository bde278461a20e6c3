package org.openhall.device.printer.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype descriptions of the printer and kiosk configuration files; {@link Config} enforces them. */
final class Ocds {

    private Ocds() {
    }

    @ObjectClassDefinition(id = "org.openhall.printer", name = "OpenHall ticket printer (ESC/POS)",
            description = "One printer. File etc/org.openhall.printer-<name>.cfg. Texts may be overridden as text.<key> (see texts.properties)")
    @interface Printer {
        @AttributeDefinition(name = "Printer id", description = "Referenced by kiosks; letters, digits, '.', '_', '-'")
        String printer_id();

        @AttributeDefinition(name = "Link", description = "serial:/dev/ttyUSB0, usb:VID:PID[:SERIAL] (hex) or tcp:HOST:PORT (e.g. port 9100)")
        String link();

        @AttributeDefinition(name = "Baud", required = false)
        int baud() default 9600;

        @AttributeDefinition(name = "Data bits", required = false)
        int dataBits() default 8;

        @AttributeDefinition(name = "Stop bits", required = false)
        int stopBits() default 1;

        @AttributeDefinition(name = "Parity", description = "N, E, O, M or S", required = false)
        String parity() default "N";

        @AttributeDefinition(name = "Status poll interval (ms)", required = false)
        int pollMillis() default 2000;

        @AttributeDefinition(name = "Answer timeout (ms)", description = "Per DLE EOT request", required = false)
        int answerTimeoutMillis() default 500;

        @AttributeDefinition(name = "Attempts", description = "Per DLE EOT request, the first included", required = false)
        int attempts() default 2;

        @AttributeDefinition(name = "Windows", description = "Windows whose one-time notification slips (R8) this printer prints, e.g. 1,2", required = false)
        String windows();

        @AttributeDefinition(name = "Time zone", required = false)
        String zone() default "Asia/Shanghai";
    }

    @ObjectClassDefinition(id = "org.openhall.kiosk", name = "OpenHall kiosk",
            description = "A ticket kiosk. File etc/org.openhall.kiosk-<name>.cfg. Texts may be overridden as text.<key> (see texts.properties)")
    @interface Kiosk {
        @AttributeDefinition(name = "Kiosk id", description = "Also the actor id of the tickets it issues (DEVICE:<id>)")
        String kiosk_id();

        @AttributeDefinition(name = "Printer", description = "printer.id of its printer")
        String printer();

        @AttributeDefinition(name = "Second printer", description = "printer.id to fail over to (R5)", required = false)
        String printer2();

        @AttributeDefinition(name = "Categories", description = "Categories its buttons offer, e.g. A,B,C")
        String categories();

        @AttributeDefinition(name = "QR content", description = "Template; {ticket}, {category}, {hall} are replaced, e.g. https://hall.example/t/{ticket}", required = false)
        String qr();

        @AttributeDefinition(name = "Footer", required = false)
        String footer();

        @AttributeDefinition(name = "Print timeout (ms)", description = "Longest a print may hold up issuing", required = false)
        int printTimeoutMillis() default 3000;

        @AttributeDefinition(name = "Time zone", required = false)
        String zone() default "Asia/Shanghai";
    }
}
