package org.openhall.queue.core.internal.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.QueueHistory;
import org.openhall.api.runtime.HallHome;
import org.openhall.api.runtime.HealthCheck;
import org.openhall.journal.Journal;
import org.openhall.journal.JournalCorruptException;
import org.openhall.journal.JournalException;
import org.openhall.journal.JournalOptions;
import org.openhall.journal.StoredEntry;
import org.openhall.queue.core.domain.DomainEvent;
import org.openhall.queue.core.domain.EventCodec;
import org.openhall.queue.core.domain.HallConfig;
import org.openhall.queue.core.internal.config.HallConfigRegistry;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the queue core's journal and engine inside the framework. Activation only starts a thread:
 * opening the journal and rebuilding the state happen there (never block in activate). When the
 * state is rebuilt, the engine is registered as a service, which satisfies {@link HallQueueService}
 * and so makes {@code HallQueue} appear. Committed events go to Event Admin from the journal's
 * writer thread, in sequence order, after they are durable.
 */
@Component(immediate = true)
public final class QueueCore {

    private static final Logger LOG = LoggerFactory.getLogger(QueueCore.class);

    /** Where the journal lives in the hall home. */
    static final String JOURNAL = "queue/journal.db";

    private final BundleContext context;
    private final HallHome home;
    private final EventAdmin eventAdmin;
    private final HallConfigRegistry registry;
    private final PolicyTracker policies;
    private final ExecutorService starter = Executors.newSingleThreadExecutor(r -> thread(r, "queue-core-start"));
    private final ScheduledExecutorService days = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "queue-core-day"));
    private final Consumer<HallConfig> onConfig = this::configured;

    private volatile String hallId = "";
    private volatile boolean starting;
    private volatile Journal journal;
    private volatile QueueEngine engine;
    private volatile ServiceRegistration<QueueEngine> registration;
    private volatile ServiceRegistration<QueueHistory> history;
    private volatile ServiceRegistration<HealthCheck> health;

    /** How long the core waits for the files Config Admin holds before starting with what it has. */
    static final long CONFIG_SETTLE_MS = 10_000;

    private final ConfigurationAdmin configAdmin;

    @Activate
    public QueueCore(BundleContext context, @Reference HallHome home, @Reference EventAdmin eventAdmin,
            @Reference HallConfigRegistry registry, @Reference ConfigurationAdmin configAdmin) {
        this.context = context;
        this.configAdmin = configAdmin;
        this.home = home;
        this.eventAdmin = eventAdmin;
        this.registry = registry;
        this.policies = new PolicyTracker(context);
        policies.open();
        registry.addListener(onConfig);
        if (registry.current().isEmpty()) {
            LOG.info("Queue core waits for the hall configuration (etc/org.openhall.hall.cfg)");
        }
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private synchronized void configured(HallConfig config) {
        hallId = config.hallId();
        QueueEngine running = engine;
        if (running != null) {
            running.reconfigure(config);
        } else if (!starting) {
            starting = true;
            starter.execute(this::start);
        }
    }

    private void start() {
        Path file = home.data().resolve(JOURNAL);
        try {
            awaitConfiguration();
            journal = Journal.open(file, JournalOptions.defaults().withOnCommitted(this::publish));
            HallConfig config = registry.current().orElseThrow();
            QueueEngine started = QueueEngine.open(journal, config, Clock.systemUTC(), policies::current);
            synchronized (this) {
                engine = started;
                registry.current().ifPresent(started::reconfigure); // a change that came in meanwhile
            }
            history = context.registerService(QueueHistory.class, new History(journal), null);
            registration = context.registerService(QueueEngine.class, started, null);
            health = context.registerService(HealthCheck.class, new QueueHealth(journal, started),
                    FrameworkUtil.asDictionary(Map.of(HealthCheck.NAME_PROPERTY, QueueHealth.NAME)));
            days.scheduleAtFixedRate(started::tick, 0, 1, TimeUnit.MINUTES); // at once: the phase
            // After a storage failure (disk full) the core recovers by itself once the journal can
            // write again, also when no operation comes to try (QueueEngine#recover).
            days.scheduleWithFixedDelay(started::retry, 1, 1, TimeUnit.SECONDS);
        } catch (JournalCorruptException e) {
            LOG.error("The queue journal {} is damaged ({}). The queue core does not start and the file is left "
                    + "untouched. Salvage its valid prefix into a new file as docs/journal.md describes, then "
                    + "put the salvaged file in its place.", e.getFile(), e.getMessage());
        } catch (JournalException | RuntimeException e) {
            LOG.error("The queue core cannot start on {}: {}", file, e.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // deactivated while starting
        }
    }

    /**
     * Config Admin hands the files to the configuration components in no particular order and on
     * its own thread: wait until every hall configuration it holds has arrived, so the queue never
     * runs on half of its configuration (a kiosk would get UNKNOWN_CATEGORY instead of waiting).
     */
    private void awaitConfiguration() throws InterruptedException {
        Set<String> pids = new HashSet<>();
        try {
            Configuration[] configs = configAdmin.listConfigurations(HallConfigRegistry.PIDS_FILTER);
            if (configs != null) {
                for (Configuration c : configs) {
                    pids.add(c.getPid());
                }
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("Cannot list the hall's configurations; starting with what has arrived: {}", e.toString());
            return;
        }
        if (!registry.awaitSeen(pids, CONFIG_SETTLE_MS)) {
            LOG.warn("Not every hall configuration arrived within {} ms; starting with what has arrived", CONFIG_SETTLE_MS);
        }
    }

    /** Journal writer thread: committed entries, in sequence order. */
    private void publish(List<StoredEntry> committed) {
        for (StoredEntry entry : committed) {
            try {
                eventAdmin.postEvent(new Event(QueueEvents.topic(entry.type()), properties(entry)));
            } catch (RuntimeException e) {
                LOG.error("Event {} (seq {}) could not be posted", entry.type(), entry.seq(), e);
            }
        }
    }

    /** The Event Admin properties of a journal entry: the same for live events and the history. */
    private Map<String, Object> properties(StoredEntry entry) {
        DomainEvent event = EventCodec.decode(entry.type(), entry.payload());
        Map<String, Object> props = new HashMap<>(event.properties());
        props.put(QueueEvents.SEQ, entry.seq());
        props.put(QueueEvents.TYPE, entry.type());
        props.put(QueueEvents.TIME, entry.timeMillis());
        props.put(QueueEvents.HALL, hallId);
        if (entry.requestId() != null) {
            props.put(QueueEvents.REQUEST_ID, entry.requestId());
        }
        return props;
    }

    /** {@link QueueHistory} on the open journal. */
    private final class History implements QueueHistory {
        private final Journal journal;

        History(Journal journal) {
            this.journal = journal;
        }

        @Override
        public List<QueuedEvent> eventsAfter(long afterSeq, int max) {
            if (max < 1 || max > MAX_PAGE) {
                throw new IllegalArgumentException("max must be 1.." + MAX_PAGE + ": " + max);
            }
            List<QueuedEvent> events = new ArrayList<>();
            try {
                journal.replay(afterSeq, max,
                        e -> events.add(new QueuedEvent(e.seq(), e.type(), properties(e))));
            } catch (JournalException e) {
                LOG.warn("The queue history after seq {} cannot be read: {}", afterSeq, e.getMessage());
                return List.of();
            }
            return events;
        }

        @Override
        public long lastSeq() {
            return journal.lastSeq();
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        registry.removeListener(onConfig);
        starter.shutdownNow();
        starter.awaitTermination(30, TimeUnit.SECONDS);
        days.shutdownNow();
        ServiceRegistration<HealthCheck> hc = health;
        if (hc != null) {
            hc.unregister();
        }
        ServiceRegistration<QueueEngine> r = registration;
        if (r != null) {
            r.unregister(); // HallQueue goes away first
        }
        ServiceRegistration<QueueHistory> h = history;
        if (h != null) {
            h.unregister();
        }
        QueueEngine e = engine;
        if (e != null) {
            e.close();
        }
        Journal j = journal;
        if (j != null) {
            j.close(); // makes everything appended durable and posts its events
        }
        policies.close();
        days.awaitTermination(5, TimeUnit.SECONDS);
    }
}
