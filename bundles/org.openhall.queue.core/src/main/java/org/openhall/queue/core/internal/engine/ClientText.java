package org.openhall.queue.core.internal.engine;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;

import org.openhall.queue.core.domain.Command;

/**
 * Refuses client text that is not well-formed UTF-16 before it reaches the journal. A lone
 * surrogate ({@code "\ud800"}) has no UTF-8 form: SQLite's driver stores it as {@code '?'}, so a
 * request id (or a fingerprint, or any text of an event) would not be the same after a restart
 * as before, and idempotency would break (a second ticket for a repeated id, or
 * REQUEST_ID_CONFLICT for another). Every string of a command is checked, the actor's id
 * included, by walking the command's record components, so a new command or argument is covered
 * without anyone remembering to add it here.
 */
final class ClientText {

    private ClientText() {
    }

    /**
     * What is wrong with the request id or a string of the command, or null when every string is
     * well-formed. The message names the argument and the position, never the value (it may be a
     * credential, or carry control characters into a log).
     */
    static String problem(String requestId, Command command) {
        String p = problem("requestId", requestId);
        return p != null ? p : walk(command == null ? "command" : command.getClass().getSimpleName(), command, 0);
    }

    /** Null when {@code s} is null or well-formed UTF-16, else what is wrong, naming {@code what}. */
    static String problem(String what, String s) {
        if (s == null) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++; // a pair: one character outside the BMP (an emoji, a rare CJK ideograph)
            } else if (Character.isSurrogate(c)) {
                return what + " is not valid Unicode text: a lone surrogate U+" + Integer.toHexString(c).toUpperCase()
                        + " at index " + i;
            }
        }
        return null;
    }

    private static String walk(String path, Object value, int depth) {
        if (value == null || depth > 8) {
            return null;
        }
        if (value instanceof CharSequence s) {
            return problem(path, s.toString());
        }
        if (value instanceof Record r) {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                Object v;
                try {
                    v = c.getAccessor().invoke(r);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    continue; // not readable: nothing of it can be judged (public records always are)
                }
                String p = walk(depth == 0 ? c.getName() : path + "." + c.getName(), v, depth + 1);
                if (p != null) {
                    return p;
                }
            }
            return null;
        }
        if (value instanceof Map<?, ?> m) {
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String p = walk(path + " key " + i, e.getKey(), depth + 1);
                p = p != null ? p : walk(path + " value " + i, e.getValue(), depth + 1);
                if (p != null) {
                    return p;
                }
                i++;
            }
            return null;
        }
        if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object o : c) {
                String p = walk(path + "[" + i++ + "]", o, depth + 1);
                if (p != null) {
                    return p;
                }
            }
            return null;
        }
        if (value.getClass().isArray() && !value.getClass().getComponentType().isPrimitive()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                String p = walk(path + "[" + i + "]", Array.get(value, i), depth + 1);
                if (p != null) {
                    return p;
                }
            }
        }
        return null; // numbers, enums, times: no text
    }
}
