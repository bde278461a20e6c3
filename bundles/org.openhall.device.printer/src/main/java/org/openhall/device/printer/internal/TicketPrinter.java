package org.openhall.device.printer.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.openhall.api.device.DeviceState;
import org.openhall.api.device.DeviceStatus;
import org.openhall.device.serial.DeviceLink;
import org.openhall.device.serial.Endpoint;
import org.openhall.device.serial.LinkException;
import org.openhall.device.serial.LinkSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ESC/POS printer driver, free of OSGi so that tests drive it directly.
 *
 * <p>One thread per printer ({@code openhall-printer-<id>}, daemon) polls DLE EOT 1..4 every poll
 * interval and runs the print jobs, so polls and jobs never interleave on the line. Status changes
 * go to the listener. {@link #print} waits for its job at most the given timeout and reports
 * failure otherwise: a printer that never answers cannot hold up whoever prints.
 */
public final class TicketPrinter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TicketPrinter.class);

    /** Settings of a printer. */
    public record Settings(String id, LinkSpec link, Duration pollInterval, Duration answerTimeout, int attempts) {
    }

    private static final String NOT_YET = "not connected yet";
    /** How often a changed status byte is asked again to be believed. */
    private static final int CONFIRMATIONS = 3;
    static final int GARBLED_POLLS_OFFLINE = 3;
    /** A reply must be followed by this many character times of silence (at least 10 ms). */
    private static final int QUIET_CHARACTERS = 4;

    private final Settings settings;
    private final Clock clock;
    private final Consumer<DeviceState> listener;
    private final ScheduledThreadPoolExecutor worker;
    private volatile Endpoint endpoint;
    private volatile DeviceState state;
    private volatile boolean linkUp;
    /** The last believed DLE EOT 1..4 bytes, -1 for none yet; also the poll's lock. */
    private final int[] confirmed = { -1, -1, -1, -1 };
    private int garbledPolls;
    private final Duration quiet;

    public TicketPrinter(Settings settings, Clock clock, Consumer<DeviceState> listener) {
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
        this.quiet = quiet(settings.link());
        this.state = new DeviceState(settings.id(), DeviceStatus.OFFLINE, PrinterState.NO_PORT, NOT_YET,
                clock.instant());
        this.worker = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "openhall-printer-" + settings.id());
            t.setDaemon(true);
            return t;
        });
        worker.setRemoveOnCancelPolicy(true);
        this.endpoint = DeviceLink.attach(settings.id(), settings.link(), new DeviceLink.Listener() {
            @Override
            public void linkUp(String description) {
                linkUp = true;
                try {
                    worker.execute(TicketPrinter.this::poll);
                } catch (RejectedExecutionException closing) {
                    // the printer is being closed: no more polls
                }
            }

            @Override
            public void linkDown(String reason) {
                linkUp = false;
                set(DeviceStatus.OFFLINE, PrinterState.NO_PORT, reason);
            }
        });
        // The first status is a status too: consumers learn of the device before anything changes.
        DeviceState initial = state;
        worker.execute(() -> {
            if (state == initial) {
                notify(initial);
            }
        });
        long every = settings.pollInterval().toMillis();
        worker.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * The silence that must follow a reply before it is believed: a few character times at the
     * line's speed, at least 10 ms (pseudo-terminals, USB adapters and TCP deliver in chunks).
     */
    static Duration quiet(LinkSpec link) {
        long micros = 10_000;
        if (link.kind() != LinkSpec.Kind.TCP && link.baud() > 0) {
            int bits = 1 + link.dataBits() + (link.parity() == 'N' ? 0 : 1) + link.stopBits();
            micros = Math.max(micros, QUIET_CHARACTERS * bits * 1_000_000L / link.baud());
        }
        return Duration.ofNanos(micros * 1000);
    }

    public String id() {
        return settings.id();
    }

    public DeviceState state() {
        return state;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /**
     * Prints a job and returns true only when it was handed to a printer that reported itself
     * ready before and after it. Returns false at once when the printer is not ONLINE, and
     * after at most {@code timeout} when it does not get through.
     */
    public boolean print(byte[] job, Duration timeout) {
        if (state.status() != DeviceStatus.ONLINE) {
            LOG.info("Printer {} refused a job: {} {}", settings.id(), state.status(), state.detail());
            return false;
        }
        Future<Boolean> f;
        try {
            f = worker.submit(() -> runJob(job));
        } catch (RejectedExecutionException e) {
            return false;
        }
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            LOG.warn("Printer {}: print job not done within {} ms", settings.id(), timeout.toMillis());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            return false;
        } catch (ExecutionException e) {
            LOG.warn("Printer {}: print job failed", settings.id(), e.getCause());
            return false;
        }
    }

    /** Queues a job without waiting for it (one-time notification slips); false when refused at once. */
    public boolean printLater(byte[] job) {
        if (state.status() != DeviceStatus.ONLINE) {
            LOG.warn("Printer {} refused a job: {} {}", settings.id(), state.status(), state.detail());
            return false;
        }
        try {
            worker.execute(() -> {
                if (!runJob(job)) {
                    LOG.warn("Printer {}: a queued job was not printed", settings.id());
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private boolean runJob(byte[] job) {
        if (Thread.currentThread().isInterrupted() || !poll()) {
            return false;
        }
        try {
            endpoint.send(job, settings.answerTimeout());
        } catch (LinkException e) {
            LOG.warn("Printer {}: {}", settings.id(), e.getMessage());
            return false;
        }
        // The printer answers DLE EOT in real time even while it prints: a second look tells
        // whether it ran out of paper or opened its cover on this job.
        return poll();
    }

    /**
     * Polls DLE EOT 1..4 and updates the state; returns whether the printer is ONLINE (false
     * also when the line was too noisy to tell: then the state stays as it was).
     */
    boolean poll() {
        synchronized (confirmed) {
            Endpoint endpoint = this.endpoint;
            if (!linkUp || endpoint == null) {
                return false;
            }
            int[] b = new int[4];
            for (int n = 1; n <= 4; n++) {
                try {
                    b[n - 1] = status(endpoint, n);
                } catch (LinkException e) {
                    switch (e.reason()) {
                    case TIMEOUT -> set(DeviceStatus.OFFLINE, PrinterState.NO_ANSWER, "no answer to DLE EOT " + n);
                    case DOWN -> set(DeviceStatus.OFFLINE, PrinterState.NO_PORT, e.getMessage());
                    case GARBLED -> garbledPoll(n, e);
                    case CLOSED -> {
                        // closing
                    }
                    }
                    return false;
                }
            }
            garbledPolls = 0;
            PrinterState s = PrinterState.decode(b[0], b[1], b[2], b[3]);
            set(s.status(), s.detail(), String.format("DLE EOT 1..4 = %02x %02x %02x %02x", b[0], b[1], b[2], b[3]));
            return s.status() == DeviceStatus.ONLINE;
        }
    }

    /**
     * The status byte DLE EOT {@code n}, validly framed and believed. The transport drops and
     * asks again for a reply that is not exactly one byte or lacks the fixed bits of ESC/POS
     * (bit 1 and bit 4 set, bits 0 and 7 clear: {@link EscPos#validStatus}). Framing cannot catch
     * a single bit flipped on the line in bits 2, 3, 5 or 6, and those are exactly the fault bits
     * (0x12 with bit 2 flipped is 0x16: cover open). So a byte that differs from the last one
     * believed for {@code n} is asked again at once and believed only when the printer says it
     * twice in a row. A real fault costs one more round trip of a few milliseconds and is still
     * reported at the poll that first sees it; a disagreement is counted as a garbled frame.
     */
    private int status(Endpoint endpoint, int n) throws LinkException {
        int known = confirmed[n - 1];
        int last = ask(endpoint, n);
        if (last == known) {
            return last;
        }
        for (int i = 0; i < CONFIRMATIONS; i++) {
            int again = ask(endpoint, n);
            if (again == last || again == known) {
                // Twice the same, or back to what was believed: the odd answer was noise.
                if (again != last) {
                    garbledFrame(endpoint, n, last);
                }
                confirmed[n - 1] = again;
                return again;
            }
            garbledFrame(endpoint, n, last);
            last = again;
        }
        throw new LinkException(LinkException.Reason.GARBLED, "answers to DLE EOT " + n + " disagree");
    }

    private int ask(Endpoint endpoint, int n) throws LinkException {
        return endpoint.transact(EscPos.statusQuery(n), 1, settings.answerTimeout(), settings.attempts(),
                answer -> EscPos.validStatus(answer[0] & 0xFF), quiet)[0] & 0xFF;
    }

    private void garbledFrame(Endpoint endpoint, int n, int value) {
        endpoint.counters().garbledFrame();
        endpoint.link().counters().garbledFrame();
        LOG.debug("Printer {}: answer {} to DLE EOT {} not confirmed, dropped", settings.id(), Integer.toHexString(value), n);
    }

    /**
     * A poll without a believable answer leaves the state as it was: one noise burst must not
     * make a fault nor take the printer offline. A line that stays that noisy for
     * {@value #GARBLED_POLLS_OFFLINE} polls in a row is no printer one can rely on: OFFLINE.
     */
    private void garbledPoll(int n, LinkException e) {
        garbledPolls++;
        LOG.debug("Printer {}: poll without a valid status ({} in a row): {}", settings.id(), garbledPolls, e.getMessage());
        if (garbledPolls >= GARBLED_POLLS_OFFLINE) {
            set(DeviceStatus.OFFLINE, PrinterState.NO_ANSWER, "only garbled answers to DLE EOT " + n + ", "
                    + garbledPolls + " polls in a row");
        }
    }

    private synchronized void set(DeviceStatus status, String detail, String text) {
        DeviceState next = new DeviceState(settings.id(), status, detail, text, clock.instant());
        // The first failure to connect replaces "not connected yet" with the reason, once.
        if (next.sameAs(state) && !(NOT_YET.equals(state.text()) && !NOT_YET.equals(text))) {
            return;
        }
        state = next;
        if (status == DeviceStatus.ONLINE && PrinterState.NONE.equals(detail)) {
            LOG.info("Printer {} is ONLINE", settings.id());
        } else {
            LOG.warn("Printer {} is {} ({}): {}", settings.id(), status, detail, text);
        }
        notify(next);
    }

    private void notify(DeviceState s) {
        try {
            listener.accept(s);
        } catch (RuntimeException e) {
            LOG.warn("Printer {}: status listener failed", settings.id(), e);
        }
    }

    /** Stops polling, ends the printer's thread and detaches from the link. */
    @Override
    public void close() {
        LOG.info("Printer {} closed ({}): {}", settings.id(), state.status(), endpoint.counters());
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Printer {}: thread did not end within 5 s", settings.id());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        endpoint.close();
    }
}
