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
import org.openhall.journal.JournalCorruptException;
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
 * <p>If the journal fails (the disk is full, an I/O error), the in-memory state may be ahead of
 * what is durable: the events of the operations that were not written were applied already. The
 * engine then refuses everything with {@link ErrorCode#UNAVAILABLE} (retryable; none of those
 * operations was acknowledged, none of their events was published) and rebuilds its state from
 * the journal at once, so reads show the durable state again. It recovers by itself: at
 * most every {@link #RETRY_INTERVAL}, the next operation, the timer's {@link #tick} or
 * {@link #retry} asks the journal to {@link Journal#resume() resume} (a real probe write), and once
 * that succeeds rebuilds the state, the sequence number and the request ids from the journal
 * (snapshot plus tail, as at start) under the lock, before anything is appended again: the state
 * then equals the durable state, and sequence numbers continue right after the last durable one.
 * A failure that cannot go away (a damaged journal, a defect in the state machine) is not retried:
 * the core stays UNAVAILABLE until it is started again, and the file is left as it is.
 *
 * <p>Plain Java, no OSGi: the crash test and the benchmark run it in a bare JVM.
 */
public final class QueueEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueEngine.class);

    /** How long an acknowledgement may wait for the disk before the caller gets UNAVAILABLE. */
    static final Duration DURABILITY_TIMEOUT = Duration.ofSeconds(10);
    /** How long request ids are remembered for idempotency (MQTT redeliveries come within seconds). */
    static final Duration REQUEST_MEMORY = Duration.ofHours(24);
    /** The least time between two attempts to leave UNAVAILABLE after a storage failure. */
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);
    /**
     * How long an attempt waits for the journal's probe write, holding the lock (reads wait too);
     * a probe that takes longer counts as a failed attempt and is simply tried again later.
     */
    static final Duration RESUME_TIMEOUT = Duration.ofSeconds(2);
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
    /* Whether the reason in unavailable may go away (storage), so that recover() tries again. */
    private volatile boolean recoverable;
    private long nextRecovery; // guarded by lock: System.nanoTime() of the next attempt allowed
    private volatile long retryIntervalNanos = RETRY_INTERVAL.toNanos();
    private long generation; // guarded by lock: incremented by every rebuild from the journal

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
        engine.lock.lock();
        try {
            engine.rebuild(config);
        } finally {
            engine.lock.unlock();
        }
        return engine;
    }

    /**
     * Makes the state, the sequence number and the request ids what the journal holds durably:
     * the newest snapshot plus the entries after it. At start, and after a storage failure once
     * the journal can write again. Under the lock; the fields change only when everything was read.
     */
    private void rebuild(HallConfig config) throws JournalException {
        long started = System.nanoTime();
        Optional<Snapshot> snapshot = journal.latestSnapshot();
        HallState rebuilt = snapshot.map(s -> StateCodec.decode(s.state(), config))
                .orElseGet(() -> new HallState(config, LocalDate.ofInstant(clock.instant(), config.zone())));
        long from = snapshot.map(Snapshot::seq).orElse(0L);
        int[] replayed = { 0 };
        journal.replay(from, e -> {
            rebuilt.apply(EventCodec.decode(e.type(), e.payload()));
            replayed[0]++;
        });
        long lastSeq = journal.lastSeq();
        long since = clock.millis() - REQUEST_MEMORY.toMillis();
        List<StoredRequest> recent = journal.requestsSince(since);
        state = rebuilt;
        seq = lastSeq;
        eventsSinceSnapshot = replayed[0];
        // What is done is durable and in the journal (with what a timed-out acknowledgement may
        // have missed); what is not done belongs to a caller that completes or removes it itself.
        requests.values().removeIf(c -> c.result.isDone());
        for (StoredRequest r : recent) {
            Completion c = new Completion(r.fingerprint(), r.recordedAtMillis());
            c.result.complete(r.result());
            requests.put(r.requestId(), c);
        }
        generation++;
        LOG.info("Queue state rebuilt up to seq {} (snapshot at {}, {} events replayed, {} request ids) in {} ms",
                seq, from, replayed[0], requests.size(), (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Leaves UNAVAILABLE after a storage failure, at most every {@link #RETRY_INTERVAL}: the
     * journal probes with a real write whether it can write again; if so, the state is rebuilt
     * from the journal before anything else is appended. Under the lock, so no operation decides
     * on the old state in between.
     *
     * @return whether the engine accepts operations again
     */
    private boolean recover() {
        if (unavailable == null) {
            return true;
        }
        if (!recoverable) {
            return false;
        }
        long now = System.nanoTime();
        if (now - nextRecovery < 0) {
            return false;
        }
        nextRecovery = now + retryIntervalNanos;
        try {
            if (!journal.resume().get(RESUME_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                return false; // still full: the journal logged why at DEBUG
            }
            rebuild(state.config());
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            stopForGood("the journal cannot write again: " + e.getCause().getMessage(), e.getCause());
            return false;
        } catch (JournalCorruptException e) {
            stopForGood("the journal is damaged: " + e.getMessage(), e);
            return false;
        } catch (JournalException e) {
            LOG.warn("The queue state cannot be read back from the journal yet: {}", e.getMessage());
            return false;
        } catch (RuntimeException e) {
            stopForGood("the queue state cannot be rebuilt from the journal: " + e, e);
            return false;
        }
        LOG.warn("Queue core accepts operations again: the journal can write, state rebuilt up to seq {} "
                + "(it had stopped: {})", seq, unavailable);
        unavailable = null;
        return true;
    }

    /** A timer's attempt to leave UNAVAILABLE after a storage failure without waiting for an operation. */
    public void retry() {
        if (unavailable == null || !recoverable) {
            return;
        }
        lock.lock();
        try {
            recover();
        } finally {
            lock.unlock();
        }
    }

    /** Tests: how often {@link #recover} may try (default {@link #RETRY_INTERVAL}). */
    void retryEvery(Duration interval) {
        retryIntervalNanos = interval.toNanos();
    }

    /** Runs one operation; see {@link org.openhall.api.queue.HallQueue} for the contract. */
    public <T> Result<T> execute(String requestId, Command command, Class<T> resultType) {
        // Text the journal cannot store losslessly never gets there (idempotency across restarts).
        String malformed = ClientText.problem(requestId, command);
        if (malformed != null) {
            return Result.error(ErrorCode.INVALID_ARGUMENT, malformed);
        }
        String refused = unavailable;
        if (refused != null && !recoverable) {
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
        long appendedIn;
        lock.lock();
        try {
            String refused = unavailable;
            if (refused != null && !recover()) {
                return Result.error(ErrorCode.UNAVAILABLE, unavailable == null ? refused : unavailable);
            }
            appendedIn = generation;
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
            return stopForGood("an operation failed unexpectedly: " + e, e);
        } finally {
            lock.unlock();
        }
        try {
            pending.durable().get(DURABILITY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return failAfterAppend(appendedIn, "the journal did not make an operation durable: " + e.getMessage(), e);
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

    /**
     * For the health check: whether the engine's lock becomes free within {@code nanos} (an
     * operation stuck while holding it would block every other one).
     */
    boolean answers(long nanos) throws InterruptedException {
        if (lock.tryLock(nanos, TimeUnit.NANOSECONDS)) {
            lock.unlock();
            return true;
        }
        return false;
    }

    /** Test support: runs {@code action} holding the engine's lock, as a stuck operation would. */
    void withLockForTesting(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    /** Rolls the day over and updates the hall's phase without waiting for an operation (called by a timer). */
    public void tick() {
        lock.lock();
        try {
            if (!recover()) {
                return;
            }
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
            stopForGood("the day rollover or a phase change failed unexpectedly: " + e, e);
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

    /**
     * A storage failure: refuse operations until {@link #recover} finds the journal writable again
     * and has rebuilt the state from it. Under the lock, or from {@link #failAfterAppend}.
     */
    private <T> Result<T> fail(String reason, Throwable cause) {
        if (unavailable == null) {
            unavailable = "the queue core stopped: " + reason;
            recoverable = true;
            nextRecovery = System.nanoTime(); // the next operation may try at once
            LOG.error("Queue core refuses operations (UNAVAILABLE) until the journal can write again; it retries"
                    + " at most every {} ms: {}", retryIntervalNanos / 1_000_000, reason, cause);
        }
        if (journal.isFailed()) {
            // The journal has dropped everything it had not written and refuses appends until it
            // is resumed: what it holds now is the durable state. Reads (snapshot, ticket,
            // statistics) show that from now on, not the events of operations that were refused.
            resyncWhileUnavailable();
        }
        return Result.error(ErrorCode.UNAVAILABLE, unavailable);
    }

    /** Under the lock: rebuilds from the journal while refusing operations; recover() does it again. */
    private void resyncWhileUnavailable() {
        try {
            rebuild(state.config());
        } catch (JournalCorruptException e) {
            stopForGood("the journal is damaged: " + e.getMessage(), e);
        } catch (JournalException e) {
            LOG.warn("The queue state cannot be read back from the journal yet (it is, once the journal can write"
                    + " again): {}", e.getMessage());
        } catch (RuntimeException e) {
            stopForGood("the queue state cannot be rebuilt from the journal: " + e, e);
        }
    }

    /** A failure that does not go away by itself: UNAVAILABLE until the core is started again. */
    private <T> Result<T> stopForGood(String reason, Throwable cause) {
        if (unavailable == null || recoverable) {
            unavailable = "the queue core stopped: " + reason;
            recoverable = false;
            LOG.error("Queue core stops accepting operations until it is started again: {}", reason, cause);
        }
        return Result.error(ErrorCode.UNAVAILABLE, unavailable);
    }

    /**
     * The unit appended in {@code appendedIn} was not acknowledged. If the state was rebuilt from
     * the journal since (another caller recovered already), that state does not contain the unit's
     * events and must stay as it is; the caller is refused all the same.
     */
    private <T> Result<T> failAfterAppend(long appendedIn, String reason, Throwable cause) {
        lock.lock();
        try {
            if (generation == appendedIn) {
                return fail(reason, cause);
            }
            return Result.error(ErrorCode.UNAVAILABLE, unavailable != null ? unavailable
                    : "the operation was not acknowledged (retry it with the same request id): " + reason);
        } finally {
            lock.unlock();
        }
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
            if (unavailable == null || recoverable) {
                unavailable = "the queue core is stopping";
            }
            recoverable = false;
        } finally {
            lock.unlock();
        }
    }
}
