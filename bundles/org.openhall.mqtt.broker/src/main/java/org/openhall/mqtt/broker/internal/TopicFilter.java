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
}
