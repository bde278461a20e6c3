package org.openhall.device.evaluator.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype description of an evaluator's configuration file; {@link EvaluatorComponent} enforces it. */
final class Ocds {

    private Ocds() {
    }

    @ObjectClassDefinition(id = "org.openhall.evaluator", name = "OpenHall evaluator pad (RS-485, FF 68 frames)",
            description = "One evaluator pad (评价器, R7). File etc/org.openhall.evaluator-<name>.cfg. Texts may be overridden as text.<key> (see texts.properties)")
    @interface Evaluator {
        @AttributeDefinition(name = "Evaluator id", description = "Also its actor id (DEVICE:<id>); letters, digits, '.', '_', '-'")
        String evaluator_id();

        @AttributeDefinition(name = "Window", description = "The window whose transactions it rates: the core refuses it anywhere else")
        String window();

        @AttributeDefinition(name = "Link", description = "serial:/dev/ttyUSB0, usb:VID:PID[:SERIAL] (hex) or tcp:HOST:PORT; devices of one bus share it")
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

        @AttributeDefinition(name = "Offline poll interval (ms)", description = "How often a pad that does not answer is tried", required = false)
        int offlinePollMillis() default 2000;

        @AttributeDefinition(name = "Rating time (s)", description = "How long the pad stays armed after a transaction; then not rated. 5..180 (the core accepts ratings for 3 minutes)", required = false)
        int timeoutSeconds() default 60;
    }
}
