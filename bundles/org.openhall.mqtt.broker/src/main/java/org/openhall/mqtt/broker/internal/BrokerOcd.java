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

    @AttributeDefinition(name = "Hall users", description = "Users (from Users) who alone may publish to the hall's topics"
            + " (Hall topics) other than commands and use the hall's client ids, e.g. openhall. Not set: anyone may (a WARN at start)",
            required = false)
    String[] hallUsers();

    @AttributeDefinition(name = "Hall topics", description = "Topic filters only the hall users publish to (the commands,"
            + " Protected topics, excepted)", required = false)
    String[] hallTopics() default { "openhall/#" };

    @AttributeDefinition(name = "Hall client ids", description = "Client id prefixes only the hall users may connect with",
            required = false)
    String[] hallClientIds() default { "openhall-" };

    @AttributeDefinition(name = "Command permissions", description = "user: command command …, e.g. kiosk1: issue-ticket check-in,"
            + " caller1: call-next recall start finish (* = all). A user without an entry may publish every command", required = false)
    String[] permissions();

    @AttributeDefinition(name = "MQTT over TLS port", description = "0: none; needs tls.keyStore", type = AttributeType.INTEGER,
            min = "0", max = "65535", required = false)
    int sslPort() default 0;

    @AttributeDefinition(name = "MQTT over secure WebSocket port", description = "0: none; path websocketPath; needs tls.keyStore",
            type = AttributeType.INTEGER, min = "0", max = "65535", required = false)
    int wssPort() default 0;

    @AttributeDefinition(name = "Key store", description = "PKCS12 (or .jks) file with the broker's key and certificate chain",
            required = false)
    String tls_keyStore();

    @AttributeDefinition(name = "Key store password", type = AttributeType.PASSWORD, required = false)
    String tls_keyStorePassword();

    @AttributeDefinition(name = "Key store type", description = "pkcs12 or jks (default: jks for a .jks file, else pkcs12)",
            required = false)
    String tls_keyStoreType();

    @AttributeDefinition(name = "Key password", description = "Default: the key store password", type = AttributeType.PASSWORD,
            required = false)
    String tls_keyPassword();

    @AttributeDefinition(name = "Health check interval (s)", description = "0: no health check", type = AttributeType.INTEGER,
            min = "0", max = "86400", required = false)
    int healthCheck_intervalSeconds() default 30;

    @AttributeDefinition(name = "Health check timeout (s)", type = AttributeType.INTEGER, min = "1", max = "600", required = false)
    int healthCheck_timeoutSeconds() default 10;

    @AttributeDefinition(name = "Failed health checks before a restart", type = AttributeType.INTEGER, min = "1", max = "100",
            required = false)
    int healthCheck_failures() default 2;
}
