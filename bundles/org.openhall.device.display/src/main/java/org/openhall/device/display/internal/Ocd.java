package org.openhall.device.display.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype description of a window display's configuration file; {@link Config} enforces it. */
@ObjectClassDefinition(id = "org.openhall.display", name = "OpenHall window display (窗口屏, RS-485)",
        description = "One LED window display. File etc/org.openhall.display-<name>.cfg. Texts may be overridden as "
                + "text.<key> (called, serving, idle, brief, suspended, closed, notice; see texts.properties)")
@interface Ocd {
    @AttributeDefinition(name = "Display id", description = "Letters, digits, '.', '_', '-'")
    String display_id();

    @AttributeDefinition(name = "Window", description = "The window it shows, e.g. 3")
    String window();

    @AttributeDefinition(name = "Link", description = "serial:/dev/ttyUSB0, usb:VID:PID[:SERIAL] (hex) or tcp:HOST:PORT (a serial-to-Ethernet converter); "
            + "displays on one RS-485 bus share the link and differ by address")
    String link();

    @AttributeDefinition(name = "Bus address", description = "1..254, as set on the display", required = false)
    int address() default 1;

    @AttributeDefinition(name = "Baud", required = false)
    int baud() default 9600;

    @AttributeDefinition(name = "Data bits", required = false)
    int dataBits() default 8;

    @AttributeDefinition(name = "Stop bits", required = false)
    int stopBits() default 1;

    @AttributeDefinition(name = "Parity", description = "N, E, O, M or S", required = false)
    String parity() default "N";

    @AttributeDefinition(name = "Blink seconds", description = "How long a called or recalled ticket blinks (R14), 0..60", required = false)
    int blinkSeconds() default 5;

    @AttributeDefinition(name = "Status poll interval (ms)", description = "Polled when nothing changes; also how soon a lost display is tried again", required = false)
    int pollMillis() default 3000;

    @AttributeDefinition(name = "Answer timeout (ms)", description = "Per frame, for the display's ACK", required = false)
    int answerTimeoutMillis() default 300;

    @AttributeDefinition(name = "Attempts", description = "Per frame, the first included (one while OFFLINE)", required = false)
    int attempts() default 2;

    @AttributeDefinition(name = "Encoding", description = "GB2312 or GB18030, as the display's font expects", required = false)
    String encoding() default "GB2312";
}
