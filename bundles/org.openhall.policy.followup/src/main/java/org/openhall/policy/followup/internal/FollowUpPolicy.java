package org.openhall.policy.followup.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.Alert;
import org.openhall.api.queue.HallQueue;
import org.openhall.policy.support.PolicyWorker;
import org.openhall.api.queue.QueueHistory;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
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
 * The follow-up policy (R7, R15) in the hall. A bad rating ({@code evaluation.recorded} at or
 * below {@code badLevel}) opens a follow-up; staff register complaints at the console
 * ({@code followup:complaint WINDOW STAFF TICKET TEXT…}), list them ({@code followup:list}) and close
 * them ({@code followup:close ID}). Open follow-ups are this policy's state in the journal
 * ({@code putPolicyState}, one JSON value per follow-up); every {@code checkSeconds} the overdue
 * ones raise {@code followup:<id>} (kind {@code FOLLOWUP_OVERDUE}) and the alerts of closed ones are
 * cleared. Deadlines count working days: no weekend day, no holiday of the hall
 * ({@code holidays} of {@code org.openhall.hall.cfg}, read through Config Admin).
 *
 * <p>Ratings made while the bundle was stopped or updating are not lost: the seq of the last
 * rating handled is stored too ({@value #SEEN_KEY}), and when the bundle starts it reads the ratings
 * after it from the core's history ({@link QueueHistory}) before the live events.
 *
 * <p>All work runs on the thread {@code policy-followup}; console commands wait for it.
 */
@Component(configurationPid = Config.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = { EventHandler.class, FollowUpPolicy.class },
        property = { EventConstants.EVENT_TOPIC + "=org/openhall/queue/evaluation/recorded",
                "osgi.command.scope=followup", "osgi.command.function=complaint", "osgi.command.function=list",
                "osgi.command.function=close" })
@Designate(ocd = Config.Ocd.class)
public final class FollowUpPolicy implements EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(FollowUpPolicy.class);
    static final Actor ACTOR = Actor.system("followup");
    static final String HALL_PID = "org.openhall.hall";
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    /** The stored seq of the last rating handled: where the catch-up after a restart starts. */
    static final String SEEN_KEY = FollowUpRule.INTERNAL_PREFIX + "seen";
    private static final int PAGE = 1000;

    private final Clock clock = Clock.systemUTC();
    private final PolicyWorker worker = new PolicyWorker("followup", this::check);
    private volatile FollowUpRule rule; // null without a valid configuration
    private ScheduledFuture<?> periodic; // guarded by this
    private long periodSeconds; // guarded by this
    // Only on the policy thread:
    private boolean caughtUp; // the ratings missed while the bundle was away were read
    private long handledSeq = -1; // the last rating handled
    private long storedSeq = -1; // the last value of SEEN_KEY written

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile HallQueue queue;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ConfigurationAdmin configAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile QueueHistory history;

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
        // Good ratings since the last bad one move the mark too: the next start reads less.
        try {
            worker.call(() -> {
                storeSeen();
                return null;
            }, Duration.ofSeconds(5));
        } catch (ExecutionException | TimeoutException | IllegalStateException e) {
            LOG.debug("Follow-up policy: the mark of the last rating was not stored on stop: {}", e.toString());
        }
        worker.stop();
    }

    private void configure(Map<String, Object> properties) {
        Config c;
        try {
            c = Config.read(properties);
        } catch (ConfigProblem p) {
            LOG.error(p.rejection(properties, ConfigProblem.lastGoodStays(rule != null, "the follow-up policy stays inactive")));
            return;
        }
        rule = new FollowUpRule(c, clock);
        synchronized (this) {
            if (periodic == null || periodSeconds != c.check().toSeconds()) {
                if (periodic != null) {
                    periodic.cancel(false);
                }
                periodSeconds = c.check().toSeconds();
                // The first check soon after start: what became overdue while the bundle was away.
                periodic = worker.every(Duration.ofSeconds(1), Duration.ofSeconds(periodSeconds), this::check);
                if (periodic == null) {
                    return; // deactivated meanwhile
                }
            }
        }
        LOG.info("Follow-up policy: ratings <= {} get {} working day(s), complaints {}; weekend {}", c.badLevel(),
                c.ratingDays(), c.complaintDays(), c.weekend());
    }

    // ---- events ---------------------------------------------------------------------------------

    @Override
    public void handleEvent(Event event) {
        if (!QueueEvents.EVALUATION_RECORDED.equals(event.getProperty(QueueEvents.TYPE))) {
            return;
        }
        Map<String, Object> props = new HashMap<>();
        for (String name : event.getPropertyNames()) {
            props.put(name, event.getProperty(name));
        }
        worker.execute(() -> { // false once deactivated: nothing to do then
            try {
                HallQueue q = queue;
                if (q != null && rule != null) {
                    catchUp(q);
                    onRating(q, props);
                }
            } catch (RuntimeException e) {
                LOG.error("Follow-up of a rating failed", e);
            }
        });
    }

    /**
     * Policy thread, once per activation: handles the ratings recorded after the stored mark while
     * this bundle was not listening (stopped, updated), from the core's history.
     */
    private void catchUp(HallQueue q) {
        if (caughtUp) {
            return;
        }
        String stored = q.policyState(Config.PID).get(SEEN_KEY);
        QueueHistory h = history;
        if (stored == null || h == null) {
            caughtUp = true; // first start ever (nothing was missed) or no history to read
            return;
        }
        long after;
        try {
            after = Long.parseLong(stored);
        } catch (NumberFormatException e) {
            caughtUp = true;
            return;
        }
        storedSeq = Math.max(storedSeq, after);
        handledSeq = Math.max(handledSeq, after);
        int missed = 0;
        for (List<QueueHistory.QueuedEvent> page = h.eventsAfter(after, PAGE); !page.isEmpty();
                page = h.eventsAfter(after, PAGE)) {
            for (QueueHistory.QueuedEvent e : page) {
                after = e.seq();
                if (QueueEvents.EVALUATION_RECORDED.equals(e.type())) {
                    Map<String, Object> props = new HashMap<>(e.properties());
                    props.put(QueueEvents.SEQ, e.seq());
                    if (onRating(q, props)) {
                        missed++;
                    }
                }
            }
        }
        caughtUp = true;
        if (missed > 0) {
            LOG.info("Follow-up policy: {} follow-up(s) opened for bad ratings made while it was stopped", missed);
        }
    }

    /**
     * Policy thread: a rating, live or from the history.
     *
     * @return whether it opened a follow-up
     */
    private boolean onRating(HallQueue q, Map<String, Object> props) {
        String ticket = (String) props.get(QueueEvents.TICKET);
        String window = (String) props.get(QueueEvents.WINDOW);
        String staff = (String) props.get(QueueEvents.STAFF);
        String category = (String) props.get(QueueEvents.CATEGORY);
        Object level = props.get(QueueEvents.LEVEL);
        Object time = props.get(QueueEvents.TIME);
        Object seqValue = props.get(QueueEvents.SEQ);
        FollowUpRule r = rule;
        if (r == null || ticket == null || window == null || !(level instanceof Number l) || !(time instanceof Number at)
                || !(seqValue instanceof Number seqNumber)) {
            return false;
        }
        long seq = seqNumber.longValue();
        if (seq <= handledSeq) {
            return false; // handled already (read from the history, then delivered live)
        }
        handledSeq = seq;
        Optional<FollowUp> f = r.rating(ticket, window, staff, category, l.intValue(), Instant.ofEpochMilli(at.longValue()),
                workingDays(r.config()));
        if (f.isEmpty()) {
            return false;
        }
        boolean opened = false;
        if (!q.policyState(Config.PID).containsKey(f.get().id())) {
            // The event's seq makes the request id: the same rating never opens two follow-ups.
            Result<Boolean> res = q.putPolicyState(Request.by(ACTOR, "followup:open:" + seq), Config.PID, f.get().id(),
                    f.get().json());
            if (res.isOk()) {
                opened = true;
                LOG.info("Follow-up {} opened for the rating {} of ticket {} at window {} (R7), due {}", f.get().id(),
                        l, ticket, window, f.get().due());
            } else {
                LOG.warn("Follow-up of the rating {} of ticket {} at window {} could not be stored: {}", l, ticket,
                        window, res.error());
                handledSeq = seq - 1; // not handled: a restart reads it again
                return false;
            }
        }
        storeSeen();
        return opened;
    }

    /** Policy thread: stores the seq of the last rating handled, when it moved. */
    private void storeSeen() {
        HallQueue q = queue;
        if (q == null || handledSeq <= storedSeq) {
            return;
        }
        long seq = handledSeq;
        Result<Boolean> res = q.putPolicyState(Request.by(ACTOR, "followup:seen:" + seq), Config.PID, SEEN_KEY,
                Long.toString(seq));
        if (res.isOk()) {
            storedSeq = seq;
        } else {
            LOG.debug("Follow-up policy: the mark of the last rating was not stored: {}", res.error());
        }
    }

    /** Policy thread: raises the alerts of overdue follow-ups, clears those of closed ones. Never throws. */
    private void check() {
        try {
            HallQueue q = queue;
            FollowUpRule r = rule;
            if (q == null || r == null) {
                return;
            }
            catchUp(q);
            List<String> unreadable = new ArrayList<>();
            List<FollowUp> open = FollowUpRule.open(q.policyState(Config.PID), unreadable);
            unreadable.forEach(k -> LOG.warn("Follow-up policy: stored value {} is not a follow-up; ignored", k));
            List<String> active = q.snapshot().alerts().stream().map(Alert::id).toList();
            FollowUpRule.Check check = r.check(open, active);
            for (FollowUp f : check.raise()) {
                Result<Alert> res = q.raiseAlert(Request.by(ACTOR, "followup:raise:" + f.id() + ":"
                        + f.openedAt().toEpochMilli()), r.alert(f));
                if (res.isOk()) {
                    LOG.info("Follow-up {} is overdue since {} (R7, R15)", f.id(), f.due());
                } else {
                    LOG.warn("Follow-up {}: the overdue alert could not be raised: {}", f.id(), res.error());
                }
            }
            for (String id : check.clear()) {
                Result<Boolean> res = q.clearAlert(Request.by(ACTOR), id);
                if (!res.isOk()) {
                    LOG.warn("Follow-up alert {} could not be cleared: {}", id, res.error());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Follow-up check failed; it runs again later", e);
        }
    }

    /** The hall's working days now: its zone and holidays from its configuration, this policy's weekend. */
    private WorkingDays workingDays(Config c) {
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        Set<LocalDate> holidays = new HashSet<>();
        ConfigurationAdmin ca = configAdmin;
        if (ca != null) {
            try {
                // listConfigurations, not getConfiguration: that would create (and bind) the hall's PID.
                Configuration[] found = ca.listConfigurations("(service.pid=" + HALL_PID + ")");
                Dictionary<String, Object> d = found == null || found.length == 0 ? null : found[0].getProperties();
                if (d != null) {
                    Map<String, Object> m = new HashMap<>();
                    for (Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
                        String k = keys.nextElement();
                        m.put(k, d.get(k));
                    }
                    ConfigReader r = new ConfigReader(m);
                    try {
                        zone = r.zone("hall.zone", "Asia/Shanghai");
                    } catch (ConfigProblem p) {
                        // the core reports it
                    }
                    for (String s : r.list("holidays")) {
                        try {
                            holidays.add(LocalDate.parse(s));
                        } catch (DateTimeException e) {
                            LOG.warn("Follow-up policy: holiday '{}' of {} is not a date (yyyy-MM-dd); ignored", s,
                                    HALL_PID);
                        }
                    }
                }
            } catch (Exception e) {
                LOG.warn("Follow-up policy: the hall's holidays cannot be read ({}); counting without them",
                        e.toString());
            }
        }
        return new WorkingDays(zone, c.weekend(), holidays);
    }

    // ---- console commands (scope followup) ------------------------------------------------------

    /** followup:complaint WINDOW STAFF TICKET TEXT… — registers a complaint (R15); no personal data (R16). */
    public String complaint(String window, String staff, String ticket, String... text) {
        return onPolicyThread(() -> {
            HallQueue q = queue;
            FollowUpRule r = rule;
            if (q == null || r == null) {
                return "ERROR UNAVAILABLE: the queue core is not running";
            }
            FollowUp f;
            try {
                f = r.complaint(window, staff, ticket, String.join(" ", text), workingDays(r.config()),
                        q.policyState(Config.PID).keySet());
            } catch (IllegalArgumentException e) {
                return "ERROR INVALID_ARGUMENT: " + e.getMessage();
            }
            Result<Boolean> res = q.putPolicyState(Request.by(ACTOR, "followup:open:" + f.id()), Config.PID, f.id(),
                    f.json());
            if (!res.isOk()) {
                return "ERROR " + res.error().code() + ": " + res.error().message();
            }
            LOG.info("Complaint {} registered against window {} staff {} ticket {} (R15), due {}", f.id(), window, staff,
                    ticket, f.due());
            return "Complaint " + f.id() + " registered; report due by " + f.due();
        });
    }

    /** followup:list — the open follow-ups, oldest first. */
    public String list() {
        return onPolicyThread(() -> {
            HallQueue q = queue;
            FollowUpRule r = rule;
            if (q == null || r == null) {
                return "ERROR UNAVAILABLE: the queue core is not running";
            }
            List<FollowUp> open = FollowUpRule.open(q.policyState(Config.PID), new ArrayList<>());
            if (open.isEmpty()) {
                return "No open follow-ups";
            }
            ZoneId zone = workingDays(r.config()).zone();
            Instant now = clock.instant();
            StringBuilder b = new StringBuilder(String.format("%-28s %-9s %-6s %-6s %-6s %-16s %-10s %s%n", "ID", "KIND",
                    "WINDOW", "STAFF", "TICKET", "OPENED", "DUE", "NOTE"));
            for (FollowUp f : open) {
                String note = f.kind() == FollowUp.Kind.RATING ? "level " + f.level() : f.text();
                b.append(String.format("%-28s %-9s %-6s %-6s %-6s %-16s %-10s %s%s%n", f.id(), f.kind(),
                        nz(f.windowId()), nz(f.staffId()), nz(f.ticket()), SHOWN.format(f.openedAt().atZone(zone)),
                        f.due(), now.isBefore(f.deadline()) ? "" : "OVERDUE ", note));
            }
            return b.toString().stripTrailing();
        });
    }

    /** followup:close ID — the follow-up was done: it is removed and its alert cleared. */
    public String close(String id) {
        return onPolicyThread(() -> {
            HallQueue q = queue;
            if (q == null || rule == null) {
                return "ERROR UNAVAILABLE: the queue core is not running";
            }
            String stored = q.policyState(Config.PID).get(id);
            if (stored == null) {
                return "ERROR NOT_FOUND: no open follow-up " + id;
            }
            String opened;
            try {
                opened = Long.toString(FollowUp.parse(id, stored).openedAt().toEpochMilli());
            } catch (IllegalArgumentException e) {
                opened = "x";
            }
            Result<Boolean> res = q.putPolicyState(Request.by(ACTOR, "followup:close:" + id + ":" + opened),
                    Config.PID, id, null);
            if (!res.isOk()) {
                return "ERROR " + res.error().code() + ": " + res.error().message();
            }
            q.clearAlert(Request.by(ACTOR), FollowUpRule.ALERT_PREFIX + id);
            LOG.info("Follow-up {} closed", id);
            return "Follow-up " + id + " closed";
        });
    }

    private String onPolicyThread(Callable<String> command) {
        try {
            return worker.call(command, Duration.ofSeconds(30));
        } catch (IllegalStateException e) {
            return "ERROR UNAVAILABLE: the follow-up policy is stopping";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "ERROR UNAVAILABLE: interrupted";
        } catch (ExecutionException | TimeoutException e) {
            return "ERROR UNAVAILABLE: " + e;
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
