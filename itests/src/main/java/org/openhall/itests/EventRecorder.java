package org.openhall.itests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;

import org.openhall.api.queue.QueueEvents;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/** Records the queue core's events as a real Event Admin subscriber does. */
final class EventRecorder implements EventHandler, AutoCloseable {

    private final List<Event> events = new ArrayList<>();
    private final ServiceRegistration<EventHandler> registration;

    EventRecorder(BundleContext context) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, QueueEvents.TOPIC_ALL);
        registration = context.registerService(EventHandler.class, this, props);
    }

    @Override
    public synchronized void handleEvent(Event event) {
        events.add(event);
        notifyAll();
    }

    synchronized List<Event> all() {
        return new ArrayList<>(events);
    }

    /** The events with this type and ticket, waiting until at least {@code count} arrived. */
    List<Event> await(String type, String ticket, int count) {
        return Poll.until(count + " x " + type + " of " + ticket, Poll.DEFAULT, () -> {
            List<Event> found = all().stream().filter(e -> type.equals(e.getProperty(QueueEvents.TYPE))
                    && (ticket == null || ticket.equals(e.getProperty(QueueEvents.TICKET)))).toList();
            return found.size() >= count ? Optional.of(found) : Optional.empty();
        });
    }

    /** Every event with a seq above {@code after}, sorted by seq, once {@code last} has arrived. */
    List<Event> awaitThrough(long after, long last, Duration timeout) {
        return Poll.until("events through seq " + last, timeout, () -> {
            List<Event> found = all().stream().filter(e -> seq(e) > after)
                    .sorted(Comparator.comparingLong(EventRecorder::seq)).toList();
            return found.stream().anyMatch(e -> seq(e) >= last) ? Optional.of(found) : Optional.empty();
        });
    }

    static long seq(Event e) {
        return (Long) e.getProperty(QueueEvents.SEQ);
    }

    @Override
    public void close() {
        registration.unregister();
    }
}
