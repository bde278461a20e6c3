package org.openhall.queue.core.internal.engine;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.openhall.api.policy.CallingPolicy;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.DayStatistics;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.HallPhase;
import org.openhall.api.queue.HallSnapshot;
import org.openhall.api.queue.Result;
import org.openhall.api.queue.TicketView;
import org.openhall.journal.Entry;
import org.openhall.journal.Journal;
import org.openhall.journal.JournalException;
import org.openhall.journal.Pending;
import org.openhall.journal.RequestRecord;
import org.openhall.journal.Snapshot;
import org.openhall.journal.StoredRequest;
import org.openhall.queue.core.domain.Command;
import org.openhall.queue.core.domain.Decision;
import org.openhall.queue.core.domain.DomainEvent;
import org.openhall.queue.core.domain.EventCodec;
import org.openhall.queue.core.domain.HallConfig;
import org.openhall.queue.core.domain.HallState;
import org.openhall.queue.core.domain.Policies;
import org.openhall.queue.core.domain.StateCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the hall's state machine on a journal: the one place where operations become durable.
 *
 * <p>For each operation, under one lock: roll the business day over if it changed, let the state
 * decide, apply the accepted events, compute the result, and append events plus request record to
 * the journal (which assigns the sequence numbers). Then, outside the lock, wait until the journal
 * made that unit durable, and only then acknowledge. Callers waiting for durability at the same
 * time share one fsync (the journal's group commit). The journal publishes committed events, in
 * sequence order, through the sink given to it, so subscribers never see an event that could be
 * lost.
 *
 * <p>If the journal fails, the in-memory state may be ahead of what is durable: the engine then
 * refuses everything with {@link ErrorCode#UNAVAILABLE} until it is started again from the
 * journal (the core component does that when the bundle restarts).
 *
 * <p>Plain Java, no OSGi: the crash test and the benchmark run it in a bare JVM.
 */
public final class QueueEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueEngine.class);

    /** How long an acknowledgement may wait for the disk before the caller gets UNAVAILABLE. */
    static final Duration DURABILITY_TIMEOUT = Duration.ofSeconds(10);
    /** How long request ids are remembered for idempotency (MQTT redeliveries come within seconds). */
    static final Duration REQUEST_MEMORY = Duration.ofHours(24);
    /** Events between two snapshots: bounds the replay at start. */
    static final int SNAPSHOT_EVERY = 2_000;

    static final Actor ROLLOVER = Actor.system("rollover");
    static final Actor PHASE = Actor.system("phase");

    /** A request id's first outcome: its fingerprint and, once durable, the stored result. */
    private static final class Completion {
        final String fingerprint;
        final long recordedAt;
        final CompletableFuture<byte[]> result = new CompletableFuture<>();

        Completion(String fingerprint, long recordedAt) {
            this.fingerprint = fingerprint;
            this.recordedAt = recordedAt;
        }
    }

    private final Journal journal;
    private final Clock clock;
    private final Supplier<Policies> policies;
    private final ResultCodec results = new ResultCodec();
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Completion> requests = new ConcurrentHashMap<>();

    private HallState state; // guarded by lock
    private long seq; // guarded by lock: the last sequence number assigned
    private int eventsSinceSnapshot; // guarded by lock
    private volatile String unavailable; // null while the engine accepts operations

    private QueueEngine(Journal journal, Clock clock, Supplier<Policies> policies) {
        this.journal = journal;
        this.clock = clock;
        this.policies = policies;
    }

    /**
     * Rebuilds the hall from the journal's newest snapshot and the entries after it, and remembers
     * the request ids of the last day, so that sequence numbers and idempotency continue.
     */
    public static QueueEngine start(Journal journal, HallConfig config, Clock clock, Supplier<CallingPolicy> policy)
            throws JournalException {
        return open(journal, config, clock, () -> Policies.calling(policy.get()));
    }

    /** Like {@link #start}, with every kind of policy (calling, issue and close gates, phase). */
    public static QueueEngine open(Journal journal, HallConfig config, Clock clock, Supplier<Policies> policies)
            throws JournalException {
        QueueEngine engine = new QueueEngine(journal, clock, policies);
        long started = System.nanoTime();
        Optional<Snapshot> snapshot = journal.latestSnapshot();
        HallState state = snapshot.map(s -> StateCodec.decode(s.state(), config))
                .orElseGet(() -> new HallState(config, LocalDate.ofInstant(clock.instant(), config.zone())));
        long from = snapshot.map(Snapshot::seq).orElse(0L);
        long[] replayed = { 0 };
        journal.replay(from, e -> {
            state.apply(EventCodec.decode(e.type(), e.payload()));
            replayed[0]++;
        });
        engine.state = state;
        engine.seq = journal.lastSeq();
        long since = clock.millis() - REQUEST_MEMORY.toMillis();
        for (StoredRequest r : journal.requestsSince(since)) {
            Completion c = new Completion(r.fingerprint(), r.recordedAtMillis());
            c.result.complete(r.result());
            engine.requests.put(r.requestId(), c);
        }
        LOG.info("Queue state rebuilt up to seq {} (snapshot at {}, {} events replayed, {} request ids) in {} ms",
                engine.seq, from, replayed[0], engine.requests.size(), (System.nanoTime() - started) / 1_000_000);
        return engine;
    }

    /** Runs one operation; see {@link org.openhall.api.queue.HallQueue} for the contract. */
    public <T> Result<T> execute(String requestId, Command command, Class<T> resultType) {
        // Text the journal cannot store losslessly never gets there (idempotency across restarts).
        String malformed = ClientText.problem(requestId, command);
        if (malformed != null) {
            return Result.error(ErrorCode.INVALID_ARGUMENT, malformed);
        }
        String refused = unavailable;
        if (refused != null) {
            return Result.error(ErrorCode.UNAVAILABLE, refused);
        }
        Completion mine = null;
        if (requestId != null) {
            while (mine == null) {
                Completion fresh = new Completion(command.fingerprint(), clock.millis());
                Completion first = requests.putIfAbsent(requestId, fresh);
                if (first == null) {
                    mine = fresh;
                } else {
                    Optional<Result<T>> repeated = repeat(first, command, resultType);
                    if (repeated.isPresent()) {
                        return repeated.get();
                    }
                    // The first attempt was not acknowledged (UNAVAILABLE): this one may run.
                    requests.remove(requestId, first);
                }
            }
        }
        try {
            return run(requestId, mine, command, resultType);
        } finally {
            if (mine != null && !mine.result.isDone()) {
                requests.remove(requestId, mine);
                mine.result.completeExceptionally(new IllegalStateException("not acknowledged"));
            }
        }
    }

    private <T> Optional<Result<T>> repeat(Completion first, Command command, Class<T> resultType) {
        if (!first.fingerprint.equals(command.fingerprint())) {
            return Optional.of(Result.error(ErrorCode.REQUEST_ID_CONFLICT,
                    "the request id was used for another operation: " + first.fingerprint));
        }
        try {
            byte[] stored = first.result.get(DURABILITY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.of(results.decode(stored, resultType));
        } catch (ExecutionException notAcknowledged) {
            return Optional.empty();
        } catch (TimeoutException e) {
            return Optional.of(Result.error(ErrorCode.UNAVAILABLE, "the first attempt of this request is still running"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(Result.error(ErrorCode.UNAVAILABLE, "interrupted"));
        } catch (IOException e) {
            LOG.error("Stored result of a request cannot be read", e);
            return Optional.of(Result.error(ErrorCode.INTERNAL, "the stored result of this request cannot be read"));
        }
    }

    private <T> Result<T> run(String requestId, Completion mine, Command command, Class<T> resultType) {
        Result<T> result;
        byte[] stored = null;
        Pending pending;
        lock.lock();
        try {
            if (unavailable != null) {
                return Result.error(ErrorCode.UNAVAILABLE, unavailable);
            }
            Instant now = clock.instant();
            rollOver(now);
            Policies inForce = policies.get();
            Decision decision = state.decide(command, now, inForce);
            if (decision instanceof Decision.Unchanged unchanged) {
                result = Result.ok(resultType.cast(unchanged.result().resolve(state)));
                if (mine == null) {
                    return result; // nothing changed, nothing to write
                }
                stored = results.encode(result);
                pending = journal.append(List.of(), new RequestRecord(requestId, command.fingerprint(), stored));
            } else if (decision instanceof Decision.Rejected rejected) {
                result = Result.error(rejected.error().code(), rejected.error().message());
                if (mine == null) {
                    return result; // nothing to remember, nothing to write
                }
                // Remember the refusal too, so a redelivered request gets the same answer.
                stored = results.encode(result);
                pending = journal.append(List.of(),
                        new RequestRecord(requestId, command.fingerprint(), stored));
            } else {
                Decision.Accepted accepted = (Decision.Accepted) decision;
                if (accepted.policyNote() != null) {
                    LOG.warn("Policy ignored: {}", accepted.policyNote());
                }
                List<Entry> entries = new ArrayList<>(entries(accepted.events(), now));
                accepted.events().forEach(state::apply);
                result = Result.ok(resultType.cast(accepted.result(state)));
                entries.addAll(phaseChange(now, inForce)); // e.g. the last ticket served: extended → closed
                if (mine != null) {
                    stored = results.encode(result);
                }
                pending = journal.append(entries,
                        mine == null ? null : new RequestRecord(requestId, command.fingerprint(), stored));
                seq = pending.lastSeq();
                eventsSinceSnapshot += entries.size();
                if (eventsSinceSnapshot >= SNAPSHOT_EVERY) {
                    snapshot(now);
                }
            }
        } catch (JournalException e) {
            return fail("the journal refused an append: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // A defect in decide/apply: the state may be half-changed. Stop rather than drift.
            return fail("an operation failed unexpectedly: " + e, e);
        } finally {
            lock.unlock();
        }
        try {
            pending.durable().get(DURABILITY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return fail("the journal did not make an operation durable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.error(ErrorCode.UNAVAILABLE, "interrupted before the operation was durable");
        }
        if (mine != null) {
            mine.result.complete(stored);
        }
        return result;
    }

    /**
     * Brings the hall's phase in line with the opening hours and the phase policy (R3, R13): the
     * event is applied here and its entry returned for the caller's unit. Under the lock.
     */
    private List<Entry> phaseChange(Instant now, Policies inForce) {
        Map.Entry<HallPhase, String> target = state.targetPhase(now, inForce);
        if (!target.getValue().isEmpty()) {
            LOG.warn("Policy ignored: {}", target.getValue());
        }
        if (target.getKey() == state.phase()) {
            return List.of();
        }
        Decision d = state.decide(new Command.SetPhase(PHASE, target.getKey()), now, inForce);
        if (!(d instanceof Decision.Accepted accepted)) {
            return List.of();
        }
        accepted.events().forEach(state::apply);
        LOG.info("The hall is now {}", target.getKey());
        return entries(accepted.events(), now);
    }

    private List<Entry> entries(List<DomainEvent> events, Instant now) {
        List<Entry> entries = new ArrayList<>(events.size());
        for (DomainEvent e : events) {
            entries.add(new Entry(EventCodec.type(e), now.toEpochMilli(), EventCodec.encode(e)));
        }
        return entries;
    }

    /** Starts the new business day when the clock passed midnight in the hall's zone (R13). */
    private void rollOver(Instant now) throws JournalException {
        LocalDate today = state.businessDay(now);
        if (!today.isAfter(state.day())) {
            return;
        }
        Decision decision = state.decide(new Command.StartDay(ROLLOVER, today), now, Policies.NONE);
        if (decision instanceof Decision.Accepted accepted) {
            List<Entry> entries = entries(accepted.events(), now);
            accepted.events().forEach(state::apply);
            seq = journal.append(entries, null).lastSeq();
            LOG.info("Business day {} started at seq {}", today, seq);
            snapshot(now);
            forgetOldRequests(now);
            prune(now);
        } else {
            LOG.error("Day rollover to {} refused: {}", today, ((Decision.Rejected) decision).error());
        }
    }

    /** Rolls the day over and updates the hall's phase without waiting for an operation (called by a timer). */
    public void tick() {
        if (unavailable != null) {
            return;
        }
        lock.lock();
        try {
            Instant now = clock.instant();
            rollOver(now);
            List<Entry> phase = phaseChange(now, policies.get());
            if (!phase.isEmpty()) {
                seq = journal.append(phase, null).lastSeq();
                eventsSinceSnapshot += phase.size();
            }
        } catch (JournalException e) {
            fail("the journal refused the day rollover or a phase change: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            fail("the day rollover or a phase change failed unexpectedly: " + e, e);
        } finally {
            lock.unlock();
        }
    }

    private void snapshot(Instant now) throws JournalException {
        journal.saveSnapshot(seq, now.toEpochMilli(), StateCodec.encode(state));
        eventsSinceSnapshot = 0;
    }

    /**
     * Retention: journal entries older than the configured number of days go, once a snapshot
     * covers them (the journal never deletes what no snapshot covers); request records older than
     * {@link #REQUEST_MEMORY} go too. The statistics of the days kept live in the state.
     */
    private void prune(Instant now) throws JournalException {
        int days = state.config().settings().retentionDays();
        long keepFrom = journal.firstSeqAtOrAfter(now.minus(Duration.ofDays(days)).toEpochMilli());
        journal.prune(keepFrom, now.minus(REQUEST_MEMORY).toEpochMilli());
    }

    private void forgetOldRequests(Instant now) {
        long cutoff = now.toEpochMilli() - REQUEST_MEMORY.toMillis();
        requests.values().removeIf(c -> c.recordedAt < cutoff && c.result.isDone());
    }

    private <T> Result<T> fail(String reason, Exception cause) {
        if (unavailable == null) {
            unavailable = "the queue core stopped: " + reason;
            LOG.error("Queue core stops accepting operations: {}", reason, cause);
        }
        return Result.error(ErrorCode.UNAVAILABLE, unavailable);
    }

    /** Applies a new configuration (from Config Admin) to the running hall. */
    public void reconfigure(HallConfig config) {
        lock.lock();
        try {
            state.reconfigure(config);
        } finally {
            lock.unlock();
        }
    }

    /** The hall's clock now. */
    public Instant now() {
        return clock.instant();
    }

    /**
     * For a sign-in challenge: the configured credential hash of {@code staffId}, or a refusal
     * when the window or the staff member is not configured.
     */
    public Result<String> credentialHash(String windowId, String staffId) {
        lock.lock();
        try {
            HallConfig config = state.config();
            if (windowId == null || config.window(windowId).isEmpty()) {
                return Result.error(ErrorCode.UNKNOWN_WINDOW, "no window " + windowId);
            }
            return config.staffMember(staffId).map(s -> Result.ok(s.credentialHash()))
                    .orElseGet(() -> Result.error(ErrorCode.UNKNOWN_STAFF, "no staff member " + staffId));
        } finally {
            lock.unlock();
        }
    }

    public HallSnapshot snapshot() {
        lock.lock();
        try {
            return state.snapshot(seq, clock.instant());
        } finally {
            lock.unlock();
        }
    }

    public Optional<TicketView> ticket(String number) {
        lock.lock();
        try {
            return state.ticket(number);
        } finally {
            lock.unlock();
        }
    }

    public Map<String, String> policyState(String policyId) {
        lock.lock();
        try {
            return state.policyState(policyId);
        } finally {
            lock.unlock();
        }
    }

    public Optional<DayStatistics> statistics(LocalDate day) {
        lock.lock();
        try {
            return state.statistics(day);
        } finally {
            lock.unlock();
        }
    }

    /** The last sequence number assigned (what the next snapshot would include). */
    public long seq() {
        lock.lock();
        try {
            return seq;
        } finally {
            lock.unlock();
        }
    }

    public boolean isAvailable() {
        return unavailable == null;
    }

    /**
     * Refuses new operations with UNAVAILABLE; operations already past the lock finish. The journal
     * is closed by its owner afterwards, which makes everything appended durable.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (unavailable == null) {
                unavailable = "the queue core is stopping";
            }
        } finally {
            lock.unlock();
        }
    }
}
