package org.openhall.mqtt.broker.internal;

/** MQTT topic filters ({@code +} one level, {@code #} the rest) matched against topic names. */
final class TopicFilter {

    private TopicFilter() {
    }

    static boolean valid(String filter) {
        if (filter.isEmpty()) {
            return false;
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String l = levels[i];
            if (l.equals("#") && i != levels.length - 1) {
                return false;
            }
            if (l.length() > 1 && (l.contains("+") || l.contains("#"))) {
                return false;
            }
        }
        return true;
    }

    static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }

    /**
     * Whether some topic name matches both filters, e.g. {@code openhall/#} and
     * {@code openhall/+/+/commands/#}. {@code a/#} also matches {@code a} itself.
     */
    static boolean overlap(String a, String b) {
        String[] x = a.split("/", -1);
        String[] y = b.split("/", -1);
        int n = Math.min(x.length, y.length);
        for (int i = 0; i < n; i++) {
            if (x[i].equals("#") || y[i].equals("#")) {
                return true;
            }
            if (!x[i].equals("+") && !y[i].equals("+") && !x[i].equals(y[i])) {
                return false;
            }
        }
        if (x.length == y.length) {
            return true;
        }
        // One filter is longer: it still matches the shorter one's topics only through a final "#".
        String[] longer = x.length > y.length ? x : y;
        return longer.length == n + 1 && longer[n].equals("#");
    }
}
