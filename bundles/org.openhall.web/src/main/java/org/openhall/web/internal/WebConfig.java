package org.openhall.web.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/org.openhall.web.cfg}: where the pages are served and which broker they talk to. */
@ObjectClassDefinition(id = WebConfig.PID, name = "OpenHall web pages",
        description = "Hall screen, kiosk, caller and evaluator pages (docs/screens.md)")
public @interface WebConfig {

    String PID = "org.openhall.web";

    @AttributeDefinition(description = "HTTP port of the pages (Felix HTTP); a port that is taken is logged and the hall runs on")
    int port() default 8080;

    @AttributeDefinition(description = "Bind address of the HTTP server; 0.0.0.0: every interface")
    String host() default "0.0.0.0";

    @AttributeDefinition(description = "The broker's MQTT over WebSocket URL the browsers connect to; {host} is the host the page was loaded from")
    String brokerUrl() default "ws://{host}:8083/mqtt";

    @AttributeDefinition(description = "Topic root; {hallId} is replaced by hall.id")
    String topicRoot() default "openhall/v1/{hallId}";

    @AttributeDefinition(description = "Seconds an armed evaluator waits for a touch; then nothing is sent (not rated, R7)")
    int evaluatorSeconds() default 60;

    @AttributeDefinition(description = "Seconds the screen keeps a new call highlighted")
    int highlightSeconds() default 10;

    @AttributeDefinition(description = "How many of the latest calls the hall screen lists")
    int screenCalls() default 8;
}
