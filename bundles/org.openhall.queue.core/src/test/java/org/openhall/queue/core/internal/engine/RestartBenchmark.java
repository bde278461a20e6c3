package org.openhall.queue.core.internal.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.openhall.api.queue.Actor;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.TicketView;
import org.openhall.api.queue.WindowView;
import org.openhall.journal.Journal;
import org.openhall.journal.JournalOptions;
import org.openhall.queue.core.domain.CategoryConfig;
import org.openhall.queue.core.domain.Command;
import org.openhall.queue.core.domain.HallConfig;

/**
 * How long the queue core takes to come back after a long day (issue 12: "kill -9 → READY after a
 * 20,000-ticket day"): a day of {@code tickets} tickets, each issued, called, started and finished
 * with a request id (four request ids a ticket, as kiosks and callers send them), then the journal
 * is opened and the engine rebuilt again and again; in the same run the baseline, an empty hall.
 * The test hall has two categories with four-digit numbers, so a day holds at most 19,998 tickets.
 * Prints figures, asserts nothing. Run (in bundles/org.openhall.queue.core, after a build):
 * <pre>
 * mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp) \
 *     org.openhall.queue.core.internal.engine.RestartBenchmark [tickets]
 * </pre>
 */
public final class RestartBenchmark {

    static final int WINDOWS = 8;
    static final int ROUNDS = 5;

    public static void main(String[] args) throws Exception {
        int tickets = args.length > 0 ? Integer.parseInt(args[0]) : 19_998;
        System.out.printf(Locale.ROOT, "OpenHall restart benchmark: a day of %,d tickets, %d cores, Java %s%n",
                tickets, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        Path empty = Files.createTempDirectory("openhall-restart-empty").resolve("journal.db");
        fill(empty, 0);
        Path day = Files.createTempDirectory("openhall-restart-day").resolve("journal.db");
        long t0 = System.nanoTime();
        fill(day, tickets);
        System.out.printf(Locale.ROOT, "day written in %.1f s (%,d bytes)%n", (System.nanoTime() - t0) / 1e9,
                Files.size(day));
        double base = restart(empty);
        double full = restart(day);
        System.out.printf(Locale.ROOT, "restart (journal open + rebuild), median of %d: empty hall %.0f ms, "
                + "after the day %.0f ms, ratio %.1f%n", ROUNDS, base, full, full / base);
    }

    static HallConfig hall() {
        HallConfig h = TestHalls.hall(WINDOWS);
        List<CategoryConfig> four = new ArrayList<>();
        for (CategoryConfig c : h.categories()) {
            four.add(new CategoryConfig(c.id(), c.name(), c.serviceItems(), CategoryConfig.MAX_DIGITS));
        }
        return new HallConfig(h.hallId(), h.hallName(), h.zone(), h.hours(), h.holidays(), four, h.windows(),
                h.staff(), h.settings());
    }

    static void fill(Path file, int tickets) throws Exception {
        Journal journal = Journal.open(file, JournalOptions.defaults());
        QueueEngine engine = QueueEngine.start(journal, hall(), Clock.systemUTC(), () -> null);
        for (int w = 1; w <= WINDOWS; w++) {
            engine.execute(null, new Command.OpenWindow(Actor.staff("s" + w), String.valueOf(w), "s" + w,
                    TestHalls.PIN), WindowView.class).value();
        }
        for (int i = 0; i < tickets; i++) {
            String window = String.valueOf(1 + i % WINDOWS);
            Actor staff = Actor.staff("s" + window);
            engine.execute("kiosk-" + i, new Command.IssueTicket(Actor.device("kiosk1"), i % 2 == 0 ? "A" : "B",
                    PriorityClass.NORMAL, null), IssuedTicket.class).value();
            engine.execute("call-" + i, new Command.CallNext(staff, window), TicketView.class).value();
            engine.execute("start-" + i, new Command.Start(staff, window), TicketView.class).value();
            engine.execute("finish-" + i, new Command.Finish(staff, window, Finish.done()), TicketView.class).value();
        }
        engine.close();
        journal.close();
    }

    /** Median time of opening the journal and rebuilding the engine from it. */
    static double restart(Path file) throws Exception {
        double[] ms = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long t = System.nanoTime();
            Journal journal = Journal.open(file, JournalOptions.defaults());
            QueueEngine engine = QueueEngine.start(journal, hall(), Clock.systemUTC(), () -> null);
            ms[r] = (System.nanoTime() - t) / 1e6;
            engine.close();
            journal.close();
        }
        java.util.Arrays.sort(ms);
        return ms[ROUNDS / 2];
    }
}
