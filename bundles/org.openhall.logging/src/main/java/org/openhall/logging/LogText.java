package org.openhall.logging;

/**
 * Makes text safe for one log line: control characters become visible escapes, so a value a
 * client sent (a request id, a reason, a topic) can neither forge log lines with a newline nor
 * make the log binary with a NUL. Tabs stay as they are.
 */
public final class LogText {

    private LogText() {
    }

    /**
     * {@code text} with CR and LF as {@code \r} and {@code \n}, and every other C0 or C1 control
     * character, DEL and the Unicode line and paragraph separators (U+2028, U+2029) as
     * {@code \}{@code uXXXX}; the same string when there is nothing to escape.
     */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int i = 0;
        while (i < text.length() && !needsEscape(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!needsEscape(c)) {
                sb.append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }

    static boolean needsEscape(char c) {
        return (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }
}
