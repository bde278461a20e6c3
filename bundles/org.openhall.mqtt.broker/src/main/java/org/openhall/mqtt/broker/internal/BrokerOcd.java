package org.openhall.mqtt.broker.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype description of the embedded broker, file {@code etc/org.openhall.mqtt.broker.cfg}. */
@ObjectClassDefinition(id = BrokerConfig.PID, name = "OpenHall embedded MQTT broker",
        description = "The hall broker for screens, voice and devices. File etc/org.openhall.mqtt.broker.cfg")
@interface BrokerOcd {

    @AttributeDefinition(name = "Enabled", type = AttributeType.BOOLEAN, required = false)
    boolean enabled() default true;

    @AttributeDefinition(name = "Listen address", required = false)
    String host() default "0.0.0.0";

    @AttributeDefinition(name = "MQTT port", description = "0: no plain MQTT listener", type = AttributeType.INTEGER, min = "0", max = "65535",
            required = false)
    int port() default 1883;

    @AttributeDefinition(name = "WebSocket port", description = "0: no WebSocket listener", type = AttributeType.INTEGER, min = "0",
            max = "65535", required = false)
    int websocketPort() default 8083;

    @AttributeDefinition(name = "WebSocket path", required = false)
    String websocketPath() default "/mqtt";

    @AttributeDefinition(name = "Users", description = "name:hash, … (hash from the console: hall:hashpin PASSWORD); only they may publish to protected topics",
            required = false)
    String[] users();

    @AttributeDefinition(name = "Protected topics", description = "Topic filters only authenticated users may publish to", required = false)
    String[] protectedTopics() default { "openhall/+/+/commands/#" };

    @AttributeDefinition(name = "Read-protected topics", description = "Topic filters only authenticated users may read,"
            + " e.g. openhall/+/+/commands/#, openhall/+/+/replies/# (then MQTT sign-in may be switched on);"
            + " an anonymous subscription whose filter can match one of them is refused, openhall/# included."
            + " Default: none (anyone may watch the whole hall; sign-in over MQTT stays off)", required = false)
    String[] readProtectedTopics() default {};
}
