package org.openhall.queue.core.domain;

import java.util.List;

import org.openhall.api.queue.Actor;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.TransferTarget;

/**
 * Builds the stable text of {@link Command#fingerprint()}: {@code op{actor="KIND:id",key="value",…}}
 * with strings quoted and escaped, so that different arguments can never give the same text.
 */
final class Fingerprint {

    private final StringBuilder sb = new StringBuilder();
    private boolean first = true;

    private Fingerprint(String op, Actor actor) {
        sb.append(op).append('{');
        add("actor", actor.kind() + ":" + actor.id());
    }

    static Fingerprint of(String op, Actor actor) {
        return new Fingerprint(op, actor);
    }

    Fingerprint add(String key, Object value) {
        if (!first) {
            sb.append(',');
        }
        first = false;
        sb.append(key).append('=');
        write(value);
        return this;
    }

    Fingerprint finish(String key, Finish f) {
        if (f == null) {
            return add(key, null);
        }
        return add(key + ".outcome", f.outcome())
                .add(key + ".missing", f.missingMaterials())
                .add(key + ".reason", f.reason())
                .add(key + ".legalBasis", f.legalBasis())
                .target(key + ".transferTo", f.transferTo())
                .add(key + ".serviceItem", f.serviceItemId());
    }

    Fingerprint target(String key, TransferTarget t) {
        if (t == null) {
            return add(key, null);
        }
        return add(key + ".category", t.categoryId()).add(key + ".window", t.windowId());
    }

    private void write(Object value) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            quote(s);
        } else if (value instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(list.get(i));
            }
            sb.append(']');
        } else {
            // enums, numbers, Instants, LocalDates: their toString is stable and unambiguous
            sb.append(value);
        }
    }

    private void quote(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        sb.append('"');
    }

    String text() {
        return sb.toString() + "}";
    }
}
