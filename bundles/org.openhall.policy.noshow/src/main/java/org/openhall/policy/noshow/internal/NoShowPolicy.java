package org.openhall.policy.noshow.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.openhall.api.queue.TicketState;
import org.openhall.api.queue.TicketView;
import org.openhall.api.queue.WindowState;
import org.openhall.api.queue.WindowView;
import org.openhall.policy.support.PolicyWorker;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
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
 * The no-show policy (R11) in the hall: an observer of the queue's events. After the configured
 * number of recalls and a grace time, it marks the window's called ticket no-show as
 * {@code SYSTEM:noshow}, if the ticket is still called there. Re-activation (how long, how many
 * places behind the head) is the core's rule, configured in {@code org.openhall.hall.cfg}.
 *
 * <p>Active only with its configuration file. A bad file is rejected with file, key and reason,
 * and the last good configuration stays in force.
 */
@Component(configurationPid = Config.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        property = { EventConstants.EVENT_TOPIC + "=org/openhall/queue/ticket/*",
                EventConstants.EVENT_TOPIC + "=org/openhall/queue/service/*",
                EventConstants.EVENT_TOPIC + "=org/openhall/queue/window/*",
                EventConstants.EVENT_TOPIC + "=org/openhall/queue/day/*" })
@Designate(ocd = Config.Ocd.class)
public final class NoShowPolicy implements EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(NoShowPolicy.class);
    static final Actor ACTOR = Actor.system("noshow");

    private final Clock clock = Clock.systemUTC();
    private final PolicyWorker worker = new PolicyWorker("noshow", this::sweep);
    private final Object lock = new Object();
    private NoShowRule rule; // guarded by lock; null without a valid configuration

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile HallQueue queue;

    @Activate
    void activate(Map<String, Object> properties) {
        configure(properties);
        worker.every(Duration.ofSeconds(1), this::sweep);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        worker.stop();
    }

    private void configure(Map<String, Object> properties) {
        Config c;
        try {
            c = Config.read(properties);
        } catch (ConfigProblem p) {
            LOG.error(p.rejection(properties, ConfigProblem.lastGoodStays(rule != null, "the no-show policy stays inactive")));
            return;
        }
        synchronized (lock) {
            rule = new NoShowRule(c.recalls(), c.grace());
            rebuilt = false;
        }
        LOG.info("No-show policy: a ticket is a no-show {} s after its {} recall(s)", c.grace().toSeconds(), c.recalls());
    }

    private boolean rebuilt; // guarded by lock: the watches were derived from the hall once

    /**
     * Rebuilds what the rule waits for from the hall (after a start, an update of this bundle or a
     * new configuration): every window calling a ticket that was recalled enough.
     */
    private void rebuild(HallQueue q) {
        for (WindowView w : q.snapshot().windows()) {
            if (w.state() == WindowState.CALLING && w.ticketNumber() != null) {
                Optional<TicketView> t = q.ticket(w.ticketNumber());
                t.filter(v -> v.calledAt() != null)
                        .ifPresent(v -> rule.watch(w.id(), v.number(), v.calls(), v.calledAt()));
            }
        }
    }

    @Override
    public void handleEvent(Event event) {
        String type = (String) event.getProperty(QueueEvents.TYPE);
        String window = (String) event.getProperty(QueueEvents.WINDOW);
        if (type == null || window == null && !QueueEvents.DAY_STARTED.equals(type)) {
            return;
        }
        synchronized (lock) {
            if (rule == null) {
                return;
            }
            switch (type) {
                case QueueEvents.TICKET_CALLED, QueueEvents.TICKET_RECALLED -> {
                    Object calls = event.getProperty(QueueEvents.CALLS);
                    Object time = event.getProperty(QueueEvents.TIME);
                    if (calls instanceof Integer n && time instanceof Long at) {
                        rule.watch(window, (String) event.getProperty(QueueEvents.TICKET), n, Instant.ofEpochMilli(at));
                    }
                }
                case QueueEvents.DAY_STARTED, QueueEvents.WINDOW_RESUMED -> rebuilt = false; // derive again
                default -> rule.forget(window); // started, finished, transferred, no-show, paused, closed …
            }
        }
    }

    /** Policy thread: marks the due no-shows. Never throws (the schedule would stop). */
    private void sweep() {
        try {
            HallQueue q = queue;
            if (q == null) {
                return;
            }
            java.util.List<NoShowRule.Watch> due;
            synchronized (lock) {
                if (rule == null) {
                    return;
                }
                if (!rebuilt) {
                    rebuild(q);
                    rebuilt = true;
                }
                due = rule.due(clock.instant());
            }
            for (NoShowRule.Watch w : due) {
                Optional<TicketView> t = q.ticket(w.ticket());
                boolean stillCalled = t.isPresent() && t.get().state() == TicketState.CALLED
                        && w.windowId().equals(t.get().windowId()) && t.get().calls() == w.calls();
                if (!stillCalled) {
                    continue;
                }
                // The request id makes a repeat (after a restart of this bundle) harmless.
                Result<TicketView> r = q.markNoShow(Request.by(ACTOR,
                        "noshow:" + w.windowId() + ":" + w.ticket() + ":" + w.due().toEpochMilli()), w.windowId());
                if (r.isOk()) {
                    LOG.info("Ticket {} at window {} is a no-show after {} call(s) (R11)", w.ticket(), w.windowId(), w.calls());
                } else {
                    LOG.warn("Ticket {} at window {} could not be marked no-show: {}", w.ticket(), w.windowId(), r.error());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("No-show sweep failed; it runs again in a second", e);
        }
    }
}
