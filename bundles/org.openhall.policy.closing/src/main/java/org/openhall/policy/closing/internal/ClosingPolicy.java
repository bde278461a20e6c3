package org.openhall.policy.closing.internal;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.api.policy.CloseGate;
import org.openhall.api.policy.HallView;
import org.openhall.api.policy.IssueGate;
import org.openhall.api.policy.IssueRequest;
import org.openhall.api.policy.IssueVerdict;
import org.openhall.api.policy.PhasePolicy;
import org.openhall.api.queue.HallPhase;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.WindowView;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The closing policy (R3, R13) in the hall: an issue gate (no tickets from the cut-off), a close
 * gate (no window closes while tickets issued before the cut-off wait for it alone) and the phase
 * policy (open, extended, closed). The opening hours, weekdays and holidays are the hall's own
 * ({@code org.openhall.hall.cfg}), read through {@link HallView}.
 *
 * <p>The gates are asked under the core's lock and must not call the queue. The one thing they
 * need that {@link HallView} does not list is the hall's window ids; they are read from the
 * hall's snapshot on the Event Admin thread (never under the core's lock) at the first event and
 * each day, and every {@code window.opened} adds its window. Nothing is stored: the rule derives
 * everything from the hall each time.
 *
 * <p>Active only with its configuration file. A bad file is rejected with file, key and reason,
 * and the last good configuration stays in force.
 */
@Component(configurationPid = Config.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = { IssueGate.class, CloseGate.class, PhasePolicy.class, EventHandler.class },
        property = { Constants.SERVICE_RANKING + ":Integer=300",
                EventConstants.EVENT_TOPIC + "=org/openhall/queue/window/*",
                EventConstants.EVENT_TOPIC + "=org/openhall/queue/ticket/*",
                EventConstants.EVENT_TOPIC + "=org/openhall/queue/service/*",
                EventConstants.EVENT_TOPIC + "=org/openhall/queue/hall/*",
                EventConstants.EVENT_TOPIC + "=org/openhall/queue/day/*" })
@Designate(ocd = Config.Ocd.class)
public final class ClosingPolicy implements IssueGate, CloseGate, PhasePolicy, EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ClosingPolicy.class);

    private volatile ClosingRule rule; // null without a valid configuration: the gates allow everything
    private final Set<String> windowIds = ConcurrentHashMap.newKeySet();
    private volatile boolean windowsLoaded;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile HallQueue queue;

    @Activate
    void activate(Map<String, Object> properties) {
        configure(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties);
    }

    private void configure(Map<String, Object> properties) {
        Config c;
        try {
            c = Config.read(properties);
        } catch (ConfigProblem p) {
            LOG.error("Rejected configuration {}: key '{}': {}; {}", ConfigReader.source(properties), p.key(), p.reason(),
                    rule == null ? "the closing policy stays inactive" : "the last good configuration stays in force");
            return;
        }
        rule = new ClosingRule(c.cutoff(), c.kioskText());
        LOG.info("Closing policy: issuing stops {} min before closing; windows stay open and the hall is extended"
                + " until the last ticket is served (R3)", c.cutoff().toMinutes());
    }

    @Override
    public IssueVerdict check(IssueRequest request, HallView hall) {
        ClosingRule r = rule;
        return r == null ? IssueVerdict.allow() : r.check(request, hall);
    }

    @Override
    public Optional<String> refuseClose(WindowView window, HallView hall) {
        ClosingRule r = rule;
        return r == null ? Optional.empty() : r.refuseClose(window, hall, windowIds);
    }

    @Override
    public HallPhase phase(HallPhase byOpeningHours, HallView hall) {
        ClosingRule r = rule;
        return r == null ? byOpeningHours : r.phase(hall, windowIds);
    }

    /** Event Admin thread: keeps the hall's window ids (never asked under the core's lock). */
    @Override
    public void handleEvent(Event event) {
        String type = (String) event.getProperty(QueueEvents.TYPE);
        if (QueueEvents.DAY_STARTED.equals(type)) {
            windowsLoaded = false; // the configuration may have changed: read them again
        }
        if (!windowsLoaded) {
            HallQueue q = queue;
            if (q != null) {
                try {
                    q.snapshot().windows().forEach(w -> windowIds.add(w.id()));
                    windowsLoaded = true;
                } catch (RuntimeException e) {
                    LOG.warn("Closing policy could not read the hall's windows; it tries again with the next event", e);
                }
            }
        }
        Object window = event.getProperty(QueueEvents.WINDOW);
        if (QueueEvents.WINDOW_OPENED.equals(type) && window instanceof String id) {
            windowIds.add(id);
        }
    }
}
