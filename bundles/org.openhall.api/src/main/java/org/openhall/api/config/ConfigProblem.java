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

    /**
     * The log line of a rejected configuration: the file (or PID), the key, the reason, and what
     * happens now, e.g. {@code Rejected configuration etc/x.cfg: key 'recalls': must be 0..10; the
     * last good configuration stays in force}.
     *
     * @param properties the configuration's properties (for its file)
     * @param consequence what happens now, e.g. "the last good configuration stays in force"
     * @since 1.1
     */
    public String rejection(java.util.Map<String, ?> properties, String consequence) {
        return "Rejected configuration " + ConfigReader.source(properties) + ": key '" + key + "': " + reason() + "; "
                + consequence;
    }

    /** The consequence for a component that keeps its last good configuration, or has none yet. @since 1.1 */
    public static String lastGoodStays(boolean hadOne, String inactive) {
        return hadOne ? "the last good configuration stays in force" : inactive;
    }
}
