package org.openhall.device.display.internal;

import java.nio.charset.Charset;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.device.serial.LinkSpec;

/**
 * Reads a display's configuration ({@code etc/org.openhall.display-<name>.cfg}); a bad value fails
 * with the key and the reason, which the component logs with the file it came from.
 */
final class Config {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern WINDOW = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,15}");
    private static final String TEXT_PREFIX = "text.";
    /** Sample arguments a text override must be able to show: a long ticket, window and staff name. */
    private static final Object[] SAMPLE = { "A012", "12号窗口", "欧阳明", "100001" };

    record Display(WindowDisplay.Settings settings, String window, Duration blink, Texts texts) {
    }

    private Config() {
    }

    static Display display(Map<String, ?> properties) throws ConfigProblem {
        ConfigReader p = new ConfigReader(properties);
        String id = p.matching("display.id", ID, "an id (letters, digits, '.', '_', '-')");
        String window = p.matching("window", WINDOW, "a window id (letters, digits, '_', '-'), e.g. 3");
        String address = p.required("link");
        int baud = p.integer("baud", 9600, 300, 921600);
        int dataBits = p.integer("dataBits", 8, 5, 8);
        int stopBits = p.integer("stopBits", 1, 1, 2);
        String parity = p.optional("parity", "N");
        if (parity.length() != 1 || "NEOMSneoms".indexOf(parity.charAt(0)) < 0) {
            throw new ConfigProblem("parity", "'" + parity + "' is not one of N, E, O, M, S");
        }
        LinkSpec link;
        try {
            link = LinkSpec.parse(address, baud, dataBits, stopBits, parity.charAt(0));
        } catch (IllegalArgumentException e) {
            throw new ConfigProblem("link", e.getMessage());
        }
        int busAddress = p.integer("address", 1, 1, 254);
        Duration blink = Duration.ofSeconds(p.integer("blinkSeconds", 5, 0, 60));
        Duration poll = Duration.ofMillis(p.integer("pollMillis", 3000, 200, 600_000));
        Duration answer = Duration.ofMillis(p.integer("answerTimeoutMillis", 300, 20, 5_000));
        int attempts = p.integer("attempts", 2, 1, 5);
        String encoding = p.optional("encoding", "GB2312").toUpperCase(java.util.Locale.ROOT);
        if (!encoding.equals("GB2312") && !encoding.equals("GB18030")) {
            throw new ConfigProblem("encoding", "'" + encoding + "' is not GB2312 or GB18030");
        }
        Charset charset = Charset.forName(encoding);
        Texts texts = texts(properties, charset);
        return new Display(new WindowDisplay.Settings(id, link, busAddress, poll, answer, attempts, charset), window,
                blink, texts);
    }

    /** The {@code text.<key>} overrides, each a known key, a valid pattern, encodable and short enough. */
    private static Texts texts(Map<String, ?> properties, Charset charset) throws ConfigProblem {
        Map<String, String> overrides = new HashMap<>();
        for (Map.Entry<String, ?> e : new java.util.TreeMap<>(properties).entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(TEXT_PREFIX) || e.getValue() == null || e.getValue().toString().isBlank()) {
                continue;
            }
            String name = key.substring(TEXT_PREFIX.length());
            if (!Texts.keys().contains(name)) {
                throw new ConfigProblem(key, "is not a display text; known: " + new TreeSet<>(Texts.keys()));
            }
            // "\n" written in a .cfg file arrives as backslash-n: it means a line break on the display.
            String pattern = e.getValue().toString().replace("\\n", "\n");
            String sample;
            try {
                sample = new java.text.MessageFormat(pattern, java.util.Locale.ROOT).format(SAMPLE);
            } catch (IllegalArgumentException bad) {
                throw new ConfigProblem(key, "'" + pattern + "' is not a text pattern: " + bad.getMessage());
            }
            if (!Frames.encodable(sample, charset)) {
                throw new ConfigProblem(key, "'" + pattern + "' has characters " + charset.name()
                        + " cannot encode (set encoding=GB18030 or change the text)");
            }
            if (charset.encode(sample).remaining() > Frames.MAX_TEXT_BYTES) {
                throw new ConfigProblem(key, "'" + pattern + "' is longer than a display frame holds ("
                        + Frames.MAX_TEXT_BYTES + " bytes)");
            }
            overrides.put(name, pattern);
        }
        return Texts.with(overrides);
    }
}
