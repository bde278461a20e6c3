package org.openhall.mqtt.bridge.internal.payload;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The texts for screens and voice (R14), from templates keyed by event type, e.g.
 * {@code ticket.called=请{ticket}号到{window}号窗口办理}. Placeholders are the event's fields in
 * braces; a template naming a field the event does not have gives no text.
 */
public final class Announcements {

    /** The default templates (Chinese), a UTF-8 properties file beside this class. */
    public static final String RESOURCE = "announcements.properties";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

    private final Properties templates;

    private Announcements(Properties templates) {
        this.templates = templates;
    }

    /** The bundle's default templates. */
    public static Announcements defaults() {
        try (InputStream in = Announcements.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing");
            }
            return read(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Templates from a properties text (read as characters, so UTF-8 files keep their Chinese). */
    public static Announcements read(Reader reader) throws IOException {
        Properties p = new Properties();
        p.load(reader);
        return new Announcements(p);
    }

    /** The text for an event of {@code type} with these fields, or null when there is none. */
    public String text(String type, Map<String, ?> fields) {
        String template = templates.getProperty(type);
        if (template == null || template.isBlank()) {
            return null;
        }
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = fields.get(m.group(1));
            if (value == null) {
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value.toString()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
