package org.openhall.device.keypad.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype description of a keypad's configuration file; {@link KeypadComponent} enforces it. */
final class Ocds {

    private Ocds() {
    }

    @ObjectClassDefinition(id = "org.openhall.keypad", name = "OpenHall caller keypad (RS-485, FF 68 frames)",
            description = "One caller keypad (呼叫器). File etc/org.openhall.keypad-<name>.cfg. Texts may be overridden as text.<key> (see texts.properties)")
    @interface Keypad {
        @AttributeDefinition(name = "Keypad id", description = "Also its actor id (DEVICE:<id>); letters, digits, '.', '_', '-'")
        String keypad_id();

        @AttributeDefinition(name = "Window", description = "The window it works at: the core refuses it anywhere else")
        String window();

        @AttributeDefinition(name = "Link", description = "serial:/dev/ttyUSB0, usb:VID:PID[:SERIAL] (hex) or tcp:HOST:PORT; keypads of one bus share it")
        String link();

        @AttributeDefinition(name = "Bus address", description = "1..247, unique on its bus", required = false)
        int address() default 1;

        @AttributeDefinition(name = "Baud", required = false)
        int baud() default 9600;

        @AttributeDefinition(name = "Data bits", required = false)
        int dataBits() default 8;

        @AttributeDefinition(name = "Stop bits", required = false)
        int stopBits() default 1;

        @AttributeDefinition(name = "Parity", description = "N, E, O, M or S", required = false)
        String parity() default "N";

        @AttributeDefinition(name = "Poll interval (ms)", required = false)
        int pollMillis() default 200;

        @AttributeDefinition(name = "Answer timeout (ms)", required = false)
        int answerTimeoutMillis() default 150;

        @AttributeDefinition(name = "Attempts", description = "Per request, the first included", required = false)
        int attempts() default 2;

        @AttributeDefinition(name = "Offline poll interval (ms)", description = "How often a keypad that does not answer is tried", required = false)
        int offlinePollMillis() default 2000;

        @AttributeDefinition(name = "Display", description = "code: ticket number or error code only; text: error code and its Chinese text (LCD keypads)", required = false)
        String display() default "code";
    }
}
