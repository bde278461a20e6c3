package org.openhall.mqtt.bridge.internal.component;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.FieldOption;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Console command {@code mqtt:status}: every broker connection and its state. */
@Component(service = MqttCommands.class, property = { "osgi.command.scope=mqtt", "osgi.command.function=status" })
public final class MqttCommands {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, fieldOption = FieldOption.UPDATE)
    final List<MqttConnection> connections = new CopyOnWriteArrayList<>();

    /** mqtt:status — one line per connection. */
    public String status() {
        if (connections.isEmpty()) {
            return "no MQTT connection is configured (etc/org.openhall.mqtt.connection-<name>.cfg)";
        }
        StringBuilder b = new StringBuilder();
        for (MqttConnection c : connections) {
            b.append(c.describe()).append('\n');
        }
        return b.toString().stripTrailing();
    }
}
