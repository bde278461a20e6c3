package org.openhall.queue.core.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.openhall.api.queue.QueueEvents;

/** Builds an Event Admin property map: type, time, actor, then the event's own values. */
final class EventProps {

    private final Map<String, Object> map = new LinkedHashMap<>();

    EventProps(DomainEvent e) {
        map.put(QueueEvents.TYPE, e.type());
        map.put(QueueEvents.TIME, e.at().toEpochMilli());
        map.put(QueueEvents.ACTOR, e.actor().kind() + ":" + e.actor().id());
    }

    /** Adds a value unless it is null; enums as their names. */
    EventProps put(String key, Object value) {
        if (value != null) {
            map.put(key, value instanceof Enum<?> en ? en.name() : value);
        }
        return this;
    }

    Map<String, Object> map() {
        return Collections.unmodifiableMap(map);
    }
}
