package org.openhall.policy.overflow.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.HallQueue;
import org.openhall.policy.support.PolicyWorker;
import org.openhall.api.queue.HallSnapshot;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
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
 * The overflow policy (R2) in the hall: an observer of the queue's events. After every change of
 * the queues (and every {@code checkSeconds}) it looks at the hall's snapshot and, through
 * {@link OverflowRule}, raises or clears the {@code overflow:<category>} alerts and assigns a
 * configured tidal window to a long queue, or takes it back, as {@code SYSTEM:overflow}.
 *
 * <p>All work runs on the one thread {@code policy-overflow}: Event Admin's thread only marks the
 * hall to be looked at again, and activation never waits for the core. Active only with its
 * configuration file; a bad file is rejected with file, key and reason, and the last good
 * configuration stays in force.
 */
@Component(configurationPid = Config.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        property = { EventConstants.EVENT_TOPIC + "=org/openhall/queue/ticket/*",
                EventConstants.EVENT_TOPIC + "=org/openhall/queue/service/*",
                EventConstants.EVENT_TOPIC + "=org/openhall/queue/window/*",
                EventConstants.EVENT_TOPIC + "=org/openhall/queue/day/*",
                EventConstants.EVENT_TOPIC + "=org/openhall/queue/case/*",
                EventConstants.EVENT_TOPIC + "=org/openhall/queue/alert/cleared" })
@Designate(ocd = Config.Ocd.class)
public final class OverflowPolicy implements EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(OverflowPolicy.class);
    static final Actor ACTOR = Actor.system("overflow");

    private final Clock clock = Clock.systemUTC();
    private final PolicyWorker worker = new PolicyWorker("overflow", this::evaluate);
    private volatile OverflowRule rule; // null without a valid configuration
    private ScheduledFuture<?> periodic; // guarded by this
    private long periodSeconds; // guarded by this

    private volatile HallQueue queue;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setQueue(HallQueue q) {
        queue = q;
        requestEvaluation(); // the core (re)started: look at the hall
    }

    void unsetQueue(HallQueue q) {
        if (queue == q) {
            queue = null;
        }
    }

    @Activate
    void activate(Map<String, Object> properties) {
        configure(properties);
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
            LOG.error(p.rejection(properties, ConfigProblem.lastGoodStays(rule != null, "the overflow policy stays inactive")));
            return;
        }
        rule = new OverflowRule(c, clock);
        synchronized (this) {
            if (periodic == null || periodSeconds != c.check().toSeconds()) {
                if (periodic != null) {
                    periodic.cancel(false);
                }
                periodSeconds = c.check().toSeconds();
                periodic = worker.every(c.check(), worker::request);
                if (periodic == null) {
                    return; // deactivated meanwhile
                }
            }
        }
        LOG.info("Overflow policy: alert above {} waiting, cleared below {}; per category {}; tidal windows {}",
                c.defaults().raiseAbove(), c.defaults().clearBelow(), c.byCategory(), c.tidal());
        requestEvaluation();
    }

    @Override
    public void handleEvent(Event event) {
        requestEvaluation();
    }

    /** Looks at the hall again on the policy's thread; many requests before it runs make one look. */
    private void requestEvaluation() {
        worker.request();
    }

    /** Policy thread: compares the hall with the rule and acts. Never throws (the thread would stop). */
    private void evaluate() {
        try {
            HallQueue q = queue;
            OverflowRule r = rule;
            if (q == null || r == null) {
                return;
            }
            HallSnapshot hall = q.snapshot();
            List<OverflowRule.Action> actions = r.decide(hall, q.policyState(Config.PID));
            for (OverflowRule.Action a : actions) {
                if (!perform(q, a, hall.seq())) {
                    return; // the next event or check tries again from the hall as it is then
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Overflow check failed; it runs again with the next event", e);
        }
    }

    private boolean perform(HallQueue q, OverflowRule.Action action, long seq) {
        // Request ids name what is done and the hall's state it was decided on: a repeat is harmless.
        Result<?> r;
        String what;
        if (action instanceof OverflowRule.Raise a) {
            what = "raise alert " + a.alert().id() + " (" + a.alert().text() + ")";
            r = q.raiseAlert(request("raise:" + a.alert().id(), seq), a.alert());
        } else if (action instanceof OverflowRule.Clear a) {
            what = "clear alert " + a.alertId();
            r = q.clearAlert(request("clear:" + a.alertId(), seq), a.alertId());
        } else if (action instanceof OverflowRule.Remember a) {
            what = "store " + a.key() + " = " + a.value();
            r = q.putPolicyState(request("store:" + a.key(), seq), Config.PID, a.key(), a.value());
        } else if (action instanceof OverflowRule.Assign a) {
            what = "assign " + a.categories() + " to tidal window " + a.windowId();
            r = q.assignCategories(request("assign:" + a.windowId(), seq), a.windowId(), a.categories());
        } else if (action instanceof OverflowRule.Forget a) {
            what = "remove " + a.key();
            r = q.putPolicyState(request("remove:" + a.key(), seq), Config.PID, a.key(), null);
        } else {
            throw new IllegalStateException("unknown action " + action);
        }
        if (r.isOk()) {
            LOG.info("Overflow policy (R2): {}", what);
            return true;
        }
        LOG.warn("Overflow policy (R2) could not {}: {}", what, r.error());
        return false;
    }

    private static Request request(String what, long seq) {
        return Request.by(ACTOR, "overflow:" + what + ":" + seq);
    }
}
