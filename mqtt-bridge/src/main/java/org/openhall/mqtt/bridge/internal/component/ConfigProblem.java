package org.openhall.mqtt.bridge.internal.component;

/** A configuration value that cannot be used: which key, and why. */
final class ConfigProblem extends Exception {

    private static final long serialVersionUID = 1L;

    private final String key;

    ConfigProblem(String key, String reason) {
        super(reason);
        this.key = key;
    }

    String key() {
        return key;
    }

    String reason() {
        return getMessage();
    }
}
