package org.openhall.api.config;

/** A configuration value that cannot be used: which key, and why. */
public final class ConfigProblem extends Exception {

    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigProblem(String key, String reason) {
        super(reason);
        this.key = key;
    }

    /** The key whose value is wrong or missing. */
    public String key() {
        return key;
    }

    /** Why, in English, for the log. */
    public String reason() {
        return getMessage();
    }
}
