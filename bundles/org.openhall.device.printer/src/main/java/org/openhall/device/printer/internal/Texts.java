package org.openhall.device.printer.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The texts printed on slips and shown as notices: defaults from {@code texts.properties} (UTF-8)
 * next to this class, each overridable in a kiosk's or printer's configuration as
 * {@code text.<key>}. Values are {@link MessageFormat} patterns.
 */
final class Texts {

    private static final Map<String, String> DEFAULTS = load();

    private final Map<String, String> texts;

    private Texts(Map<String, String> texts) {
        this.texts = texts;
    }

    static Texts defaults() {
        return new Texts(DEFAULTS);
    }

    /** The defaults with the {@code text.*} keys of a configuration on top. */
    static Texts with(Map<String, ?> properties) {
        Map<String, String> m = new HashMap<>(DEFAULTS);
        properties.forEach((k, v) -> {
            if (k.startsWith("text.") && v != null && !v.toString().isBlank()) {
                m.put(k.substring(5), v.toString());
            }
        });
        return new Texts(Map.copyOf(m));
    }

    String get(String key, Object... args) {
        String pattern = texts.get(key);
        if (pattern == null) {
            throw new IllegalArgumentException("no text '" + key + "' in texts.properties");
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, Locale.ROOT).format(args);
    }

    private static Map<String, String> load() {
        try (InputStream in = Texts.class.getResourceAsStream("texts.properties")) {
            if (in == null) {
                throw new IllegalStateException("texts.properties is missing from the bundle");
            }
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, String> m = new HashMap<>();
            p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
            return Map.copyOf(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
