package org.openhall.policy.timelimit.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.Alert;
import org.openhall.api.queue.HallQueue;
import org.openhall.policy.support.PolicyWorker;
import org.openhall.api.queue.HallSnapshot;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.openhall.api.queue.TicketState;
import org.openhall.api.queue.TicketView;
import org.openhall.api.queue.WindowState;
import org.openhall.api.queue.WindowView;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
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
 * The time limit policy (R6) in the hall: an observer of the queue's events. It derives the
 * transactions in progress from the hall's snapshot after every change (windows SERVING, their
 * tickets' {@code startedAt} and service item), raises {@code timelimit:<window>:<ticket>}
 * (kind {@code TIME_LIMIT}) as {@code SYSTEM:timelimit} when one runs past its committed time,
 * and clears it when the transaction ended. The overrun itself is counted in the statistics by
 * the core (R21, {@code Figures.overruns}) for service items with a committed time.
 *
 * <p>The committed time of a service item is the hall's ({@code timeLimitMinutes} of
 * {@code org.openhall.serviceitem-*.cfg}, read through Config Admin): the core's
 * {@code service.started} event does not carry it. All work runs on the thread
 * {@code policy-timelimit}.
 */
@Component(configurationPid = Config.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        property = { EventConstants.EVENT_TOPIC + "=org/openhall/queue/service/*",
                EventConstants.EVENT_TOPIC + "=org/openhall/queue/ticket/*",
                EventConstants.EVENT_TOPIC + "=org/openhall/queue/window/*",
                EventConstants.EVENT_TOPIC + "=org/openhall/queue/day/*" })
@Designate(ocd = Config.Ocd.class)
public final class TimeLimitPolicy implements EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(TimeLimitPolicy.class);
    static final Actor ACTOR = Actor.system("timelimit");
    static final String SERVICE_ITEM_FACTORY = "org.openhall.serviceitem";
    /** Without events, the hall is looked at again this often (seconds of the 1 s tick). */
    private static final int RESYNC_TICKS = 60;

    private final Clock clock = Clock.systemUTC();
    private final PolicyWorker worker = new PolicyWorker("timelimit", this::syncAndCheck);
    private final TimeLimitRule rule = new TimeLimitRule(clock); // only on the policy thread
    private int ticks; // only on the policy thread
    private volatile Config config; // null without a valid configuration

    private volatile HallQueue queue;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ConfigurationAdmin configAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setQueue(HallQueue q) {
        queue = q;
        requestSync();
    }

    void unsetQueue(HallQueue q) {
        if (queue == q) {
            queue = null;
        }
    }

    @Activate
    void activate(Map<String, Object> properties) {
        configure(properties);
        worker.every(Duration.ofSeconds(1), this::tick);
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
            LOG.error(p.rejection(properties, ConfigProblem.lastGoodStays(config != null, "the time limit policy stays inactive")));
            return;
        }
        config = c;
        LOG.info("Time limit policy: service items' limits {}, per item {}, per category {}, otherwise {}",
                c.useHallItems() ? "used" : "ignored", c.items(), c.categories(),
                c.fallback() == null ? "none" : c.fallback().toMinutes() + " min");
        requestSync();
    }

    @Override
    public void handleEvent(Event event) {
        requestSync();
    }

    private void requestSync() {
        worker.request();
    }

    /** Policy thread, every second. */
    private void tick() {
        if (++ticks >= RESYNC_TICKS) {
            ticks = 0;
            syncAndCheck();
        } else {
            check();
        }
    }

    /** Policy thread: derives what runs from the hall, clears the alerts of ended transactions. */
    private void syncAndCheck() {
        try {
            HallQueue q = queue;
            Config c = config;
            if (q == null || c == null) {
                return;
            }
            HallSnapshot hall = q.snapshot();
            Map<String, Duration> hallItems = c.useHallItems() ? hallItems() : Map.of();
            List<TimeLimitRule.Running> running = new ArrayList<>();
            for (WindowView w : hall.windows()) {
                // A window paused while serving keeps its transaction: its time runs on (R21 handling
                // time is finish - start).
                if ((w.state() == WindowState.SERVING || w.state() == WindowState.PAUSED) && w.ticketNumber() != null) {
                    Optional<TicketView> t = q.ticket(w.ticketNumber());
                    if (t.isPresent() && t.get().state() == TicketState.SERVING && w.id().equals(t.get().windowId())
                            && t.get().startedAt() != null) {
                        TicketView v = t.get();
                        running.add(new TimeLimitRule.Running(w.id(), v.number(), v.categoryId(), v.serviceItemId(),
                                v.startedAt(), c.limit(v.categoryId(), v.serviceItemId(), hallItems)));
                    }
                }
            }
            List<String> ended = rule.sync(running, hall.alerts().stream().map(Alert::id).toList());
            for (String id : ended) {
                Result<Boolean> r = q.clearAlert(Request.by(ACTOR, "timelimit:clear:" + id + ":" + hall.seq()), id);
                if (r.isOk()) {
                    LOG.info("Time limit (R6): {} ended, alert cleared", id);
                } else {
                    LOG.warn("Time limit (R6): could not clear {}: {}", id, r.error());
                }
            }
            check();
        } catch (RuntimeException e) {
            LOG.error("Time limit check failed; it runs again with the next event", e);
        }
    }

    /** Policy thread: raises the alerts of transactions past their limit. */
    private void check() {
        try {
            HallQueue q = queue;
            Config c = config;
            if (q == null || c == null) {
                return;
            }
            for (TimeLimitRule.Running r : rule.overrun()) {
                Alert alert = Alert.of(r.alertId(), TimeLimitRule.KIND, r.categoryId(), r.windowId(), c.text(r));
                // One request id per transaction: a repeat after a restart changes nothing.
                Result<Alert> res = q.raiseAlert(
                        Request.by(ACTOR, "timelimit:raise:" + r.alertId() + ":" + r.startedAt().toEpochMilli()), alert);
                if (res.isOk()) {
                    LOG.info("Time limit (R6): ticket {} at window {} runs past its {} s", r.ticket(), r.windowId(),
                            r.limit().toSeconds());
                } else {
                    LOG.warn("Time limit (R6): could not raise {}: {}", r.alertId(), res.error());
                    rule.retry(r);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Time limit check failed; it runs again in a second", e);
        }
    }

    /** The committed times of the hall's service items ({@code org.openhall.serviceitem-*.cfg}). */
    private Map<String, Duration> hallItems() {
        ConfigurationAdmin ca = configAdmin;
        if (ca == null) {
            return Map.of();
        }
        Map<String, Duration> out = new HashMap<>();
        try {
            Configuration[] items = ca.listConfigurations("(service.factoryPid=" + SERVICE_ITEM_FACTORY + ")");
            for (Configuration item : items == null ? new Configuration[0] : items) {
                Dictionary<String, Object> d = item.getProperties();
                if (d == null) {
                    continue;
                }
                Map<String, Object> m = new HashMap<>();
                for (Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
                    String k = keys.nextElement();
                    m.put(k, d.get(k));
                }
                ConfigReader r = new ConfigReader(m);
                String id = r.optional("id", null);
                try {
                    int minutes = r.integer("timeLimitMinutes", 0, 0, Config.MAX_MINUTES);
                    if (id != null && minutes > 0) {
                        out.put(id, Duration.ofMinutes(minutes));
                    }
                } catch (ConfigProblem p) {
                    // The core rejects this file and says so; without a valid limit there is none here.
                }
            }
        } catch (Exception e) {
            LOG.warn("Time limit (R6): the service items' limits cannot be read: {}", e.toString());
        }
        return Collections.unmodifiableMap(out);
    }
}
