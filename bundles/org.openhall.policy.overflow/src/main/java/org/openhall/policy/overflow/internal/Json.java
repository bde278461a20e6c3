package org.openhall.policy.overflow.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The small flat JSON objects this policy stores in the journal ({@code {"window":"5","since":"…"}}):
 * string and whole-number values only, no nesting. Enough for policy state, no library needed.
 */
final class Json {

    private Json() {
    }

    /** Writes a flat object; values are written as numbers when they are {@link Number}s, else as strings. */
    static String write(Map<String, ?> fields) {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            if (b.length() > 1) {
                b.append(',');
            }
            string(b, e.getKey());
            b.append(':');
            if (e.getValue() instanceof Number n) {
                b.append(n.longValue());
            } else {
                string(b, e.getValue().toString());
            }
        }
        return b.append('}').toString();
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** Reads a flat object written by {@link #write}; numbers come back as their text. */
    static Map<String, String> read(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        if (json == null) {
            return out;
        }
        int[] i = { skip(json, 0) };
        expect(json, i, '{');
        i[0] = skip(json, i[0]);
        if (i[0] < json.length() && json.charAt(i[0]) == '}') {
            return out;
        }
        while (true) {
            i[0] = skip(json, i[0]);
            String key = readString(json, i);
            i[0] = skip(json, i[0]);
            expect(json, i, ':');
            i[0] = skip(json, i[0]);
            String value;
            if (i[0] < json.length() && json.charAt(i[0]) == '"') {
                value = readString(json, i);
            } else {
                int start = i[0];
                while (i[0] < json.length() && ",} \t\r\n".indexOf(json.charAt(i[0])) < 0) {
                    i[0]++;
                }
                value = json.substring(start, i[0]);
            }
            out.put(key, value);
            i[0] = skip(json, i[0]);
            if (i[0] >= json.length()) {
                throw new IllegalArgumentException("unterminated object");
            }
            char c = json.charAt(i[0]++);
            if (c == '}') {
                return out;
            }
            if (c != ',') {
                throw new IllegalArgumentException("expected , or } at " + (i[0] - 1));
            }
        }
    }

    private static int skip(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static void expect(String s, int[] i, char c) {
        if (i[0] >= s.length() || s.charAt(i[0]) != c) {
            throw new IllegalArgumentException("expected " + c + " at " + i[0]);
        }
        i[0]++;
    }

    private static String readString(String s, int[] i) {
        expect(s, i, '"');
        StringBuilder b = new StringBuilder();
        while (i[0] < s.length()) {
            char c = s.charAt(i[0]++);
            if (c == '"') {
                return b.toString();
            }
            if (c == '\\' && i[0] < s.length()) {
                char e = s.charAt(i[0]++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(i[0], i[0] + 4), 16));
                        i[0] += 4;
                    }
                    default -> b.append(e);
                }
            } else {
                b.append(c);
            }
        }
        throw new IllegalArgumentException("unterminated string");
    }
}
