package io.moquette.broker.metrics;

import org.openhall.mqtt.broker.internal.ConnectionGate;

/**
 * OpenHall's replacement of Moquette 0.17's own class of this name (this bundle's copy wins over
 * the one in moquette-broker-0.17.jar; see bnd.bnd). Moquette puts a new instance of it into every
 * channel's pipeline, right in front of its MQTT handler, and offers no other way to add a handler
 * there: it is the one place where the hall broker can hold a client's messages until its CONNECT
 * is through and check publications before Moquette sees them ({@link ConnectionGate}). Moquette's
 * original only logged every message (at INFO); this one logs at TRACE.
 */
public class MQTTMessageLogger extends ConnectionGate {
}
