package org.openhall.device.display.internal;

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
import java.util.Set;

/**
 * The texts a display shows: defaults from {@code texts.properties} (UTF-8) next to this class,
 * each overridable in a display's configuration as {@code text.<key>}. Values are
 * {@link MessageFormat} patterns.
 */
final class Texts {

    static final String CALLED = "called";
    static final String SERVING = "serving";
    static final String IDLE = "idle";
    static final String BRIEF = "brief";
    static final String SUSPENDED = "suspended";
    static final String CLOSED = "closed";
    static final String NOTICE = "notice";

    private static final Map<String, String> DEFAULTS = load();

    private final Map<String, String> texts;

    private Texts(Map<String, String> texts) {
        this.texts = texts;
    }

    static Texts defaults() {
        return new Texts(DEFAULTS);
    }

    /** The keys a configuration may override. */
    static Set<String> keys() {
        return DEFAULTS.keySet();
    }

    /** The defaults with the given overrides on top (keys without the {@code text.} prefix). */
    static Texts with(Map<String, String> overrides) {
        Map<String, String> m = new HashMap<>(DEFAULTS);
        m.putAll(overrides);
        return new Texts(Map.copyOf(m));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Texts t && t.texts.equals(texts);
    }

    @Override
    public int hashCode() {
        return texts.hashCode();
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
