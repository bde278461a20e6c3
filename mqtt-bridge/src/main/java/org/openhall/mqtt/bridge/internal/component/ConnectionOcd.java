package org.openhall.mqtt.bridge.internal.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype description of a broker connection, file
 * {@code etc/org.openhall.mqtt.connection-<name>.cfg}. {@link ConnectionConfig#parse} is what
 * enforces it.
 */
@ObjectClassDefinition(id = ConnectionConfig.FACTORY_PID, name = "OpenHall MQTT connection",
        description = "One broker the hall publishes to (contract v1, docs/mqtt.md). Files etc/org.openhall.mqtt.connection-<name>.cfg")
@interface ConnectionOcd {

    @AttributeDefinition(name = "Broker URI", description = "tcp://host:1883, ssl://host:8883, ws://host:8083/mqtt or wss://…")
    String uri();

    @AttributeDefinition(name = "Client id", description = "MQTT client id; default openhall-{hallId}-{name}", required = false)
    String clientId();

    @AttributeDefinition(name = "User name", required = false)
    String username();

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false)
    String password();

    @AttributeDefinition(name = "Topic root", description = "{hallId} is replaced by hall.id", required = false)
    String topicRoot() default ConnectionConfig.DEFAULT_ROOT;

    @AttributeDefinition(name = "Carries", description = "What is published besides status: state (categories, windows, devices), events, stats",
            required = false)
    String[] publish() default { "state", "events", "stats" };

    @AttributeDefinition(name = "Accepts commands", description = "Subscribe to {root}/commands/+ and run the commands", type = AttributeType.BOOLEAN,
            required = false)
    boolean acceptsCommands() default false;

    @AttributeDefinition(name = "Trust store", description = "ssl/wss: JKS or PKCS12 file with the CA certificates; default: the JVM's", required = false)
    String tls_trustStore();

    @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD, required = false)
    String tls_trustStorePassword();

    @AttributeDefinition(name = "Client key store", description = "ssl/wss: JKS or PKCS12 file with the client certificate and key", required = false)
    String tls_keyStore();

    @AttributeDefinition(name = "Client key store password", type = AttributeType.PASSWORD, required = false)
    String tls_keyStorePassword();

    @AttributeDefinition(name = "Outbox quota (bytes)", type = AttributeType.LONG, min = "1024", required = false)
    long outbox_maxBytes() default 64L * 1024 * 1024;

    @AttributeDefinition(name = "Largest command (bytes)", type = AttributeType.INTEGER, min = "64", required = false)
    int commands_maxPayloadBytes() default 16384;

    @AttributeDefinition(name = "Sign-in over MQTT", description = "Accept open-window, which carries a staff PIN. Only where "
            + "command topics are readable by authenticated users alone (readProtectedTopics on the embedded broker, "
            + "or a broker ACL like mqtt-bridge/mosquitto/openhall.acl)", type = AttributeType.BOOLEAN, required = false)
    boolean commands_allowSignIn() default false;

    @AttributeDefinition(name = "Reply prefixes", description = "Topic prefixes outside the hall's root where a command's "
            + "replyTo may point, besides {root}/replies/ (comma-separated); none by default", required = false)
    String[] commands_replyPrefixes();

    @AttributeDefinition(name = "First retry (ms)", type = AttributeType.INTEGER, min = "10", required = false)
    int backoff_initialMillis() default 500;

    @AttributeDefinition(name = "Longest retry interval (ms)", type = AttributeType.INTEGER, min = "10", required = false)
    int backoff_maxMillis() default 30000;

    @AttributeDefinition(name = "Operation timeout (s)", description = "Connect and acknowledgement timeout", type = AttributeType.INTEGER, min = "1",
            required = false)
    int timeoutSeconds() default 10;
}
