package org.openhall.queue.core.internal.engine;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.openhall.api.queue.Actor;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.Result;
import org.openhall.api.queue.TicketView;
import org.openhall.api.queue.WindowView;
import org.openhall.journal.Journal;
import org.openhall.journal.JournalOptions;
import org.openhall.queue.core.domain.Command;

/**
 * The process {@link CrashTest} kills: kiosks issue tickets and windows call, start and finish them,
 * from several threads, on a real journal. A line {@code ACK <requestId> <kind> <ticket>} is printed
 * only after the operation was acknowledged (durable). Arguments: journal file, seed, run number.
 */
public final class CrashChild {

    static final int KIOSKS = 3;
    static final int WINDOWS = 3;

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        String run = args[2];
        Journal journal = Journal.open(file, JournalOptions.defaults());
        QueueEngine engine = QueueEngine.start(journal, TestHalls.hall(WINDOWS), Clock.systemUTC(), () -> null);
        System.out.println("STARTED " + engine.seq());
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < KIOSKS; k++) {
            Random random = new Random(seed * 31 + k);
            String id = run + "-k" + k;
            threads.add(new Thread(() -> kiosk(engine, id, random)));
        }
        for (int w = 1; w <= WINDOWS; w++) {
            String window = String.valueOf(w);
            String id = run + "-w" + w;
            threads.add(new Thread(() -> window(engine, window, id)));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(); // until the parent kills us
        }
    }

    static synchronized void ack(String requestId, String kind, String ticket) {
        System.out.println("ACK " + requestId + " " + kind + " " + ticket);
        System.out.flush();
    }

    static void kiosk(QueueEngine engine, String id, Random random) {
        Actor kiosk = Actor.device(id);
        for (long n = 0;; n++) {
            String requestId = id + "-" + n;
            String category = random.nextBoolean() ? "A" : "B";
            Result<IssuedTicket> r = engine.execute(requestId,
                    new Command.IssueTicket(kiosk, category, PriorityClass.NORMAL, null), IssuedTicket.class);
            if (r.isOk()) {
                ack(requestId, "issue", r.value().ticket().number());
            } else if (r.error().code() == ErrorCode.UNAVAILABLE) {
                return;
            }
        }
    }

    static void window(QueueEngine engine, String window, String id) {
        Actor staff = Actor.staff("s" + window);
        engine.execute(null, new Command.CloseWindow(staff, window), WindowView.class);
        Result<WindowView> opened = engine.execute(id + "-open",
                new Command.OpenWindow(staff, window, "s" + window, TestHalls.PIN), WindowView.class);
        if (opened.isOk()) {
            ack(id + "-open", "open", "-");
        }
        for (long n = 0;; n++) {
            String rid = id + "-" + n;
            Result<TicketView> called = engine.execute(rid + "c", new Command.CallNext(staff, window), TicketView.class);
            if (!called.isOk()) {
                if (called.error().code() == ErrorCode.UNAVAILABLE) {
                    return;
                }
                Thread.onSpinWait();
                continue;
            }
            ack(rid + "c", "call", called.value().number());
            Result<TicketView> started = engine.execute(rid + "s", new Command.Start(staff, window), TicketView.class);
            if (started.isOk()) {
                ack(rid + "s", "start", started.value().number());
            }
            Result<TicketView> done = engine.execute(rid + "f", new Command.Finish(staff, window, Finish.done()),
                    TicketView.class);
            if (done.isOk()) {
                ack(rid + "f", "finish", done.value().number());
            }
        }
    }
}
