package org.openhall.mqtt.broker.internal;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Refusals of the embedded broker since the component started, by kind (they survive broker restarts). */
final class Refusals {

    enum Kind {
        CREDENTIALS("credentials"), CLIENT_ID("clientId"), PUBLISH("publish"), SUBSCRIBE("subscribe");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private final Map<Kind, AtomicLong> counts = new EnumMap<>(Kind.class);

    Refusals() {
        for (Kind k : Kind.values()) {
            counts.put(k, new AtomicLong());
        }
    }

    /** Counts one refusal; returns the new count of its kind. */
    long count(Kind kind) {
        return counts.get(kind).incrementAndGet();
    }

    long get(Kind kind) {
        return counts.get(kind).get();
    }

    /** {@code credentials, clientId, publish, subscribe} → count, in that order. */
    Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        counts.forEach((k, v) -> m.put(k.label, v.get()));
        return m;
    }
}
