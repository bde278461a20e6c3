package org.openhall.device.frames;

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
 * A device's Chinese texts: {@code texts.properties} (UTF-8) beside a class of the driver, each
 * overridable in its configuration as {@code text.<key>}. Values are {@link MessageFormat} patterns.
 */
public final class Texts {

    private final Map<String, String> texts;

    private Texts(Map<String, String> texts) {
        this.texts = texts;
    }

    /** The texts beside {@code anchor}, with the {@code text.*} keys of a configuration on top. */
    public static Texts of(Class<?> anchor, Map<String, ?> properties) {
        Map<String, String> m = new HashMap<>(load(anchor));
        properties.forEach((k, v) -> {
            if (k.startsWith("text.") && v != null && !v.toString().isBlank()) {
                m.put(k.substring(5), v.toString());
            }
        });
        return new Texts(Map.copyOf(m));
    }

    public String get(String key, Object... args) {
        String pattern = texts.get(key);
        if (pattern == null) {
            throw new IllegalArgumentException("no text '" + key + "' in texts.properties");
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, Locale.ROOT).format(args);
    }

    public boolean has(String key) {
        return texts.containsKey(key);
    }

    private static Map<String, String> load(Class<?> anchor) {
        try (InputStream in = anchor.getResourceAsStream("texts.properties")) {
            if (in == null) {
                throw new IllegalStateException("texts.properties is missing beside " + anchor.getName());
            }
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, String> m = new HashMap<>();
            p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
