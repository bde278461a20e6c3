package org.openhall.journal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process {@link CrashTest} kills with SIGKILL. Appends units from several threads and prints
 * {@code ACK <firstSeq> <lastSeq> <requestId>} only after the unit's future completed, i.e. once
 * the journal acknowledged it as durable.
 *
 * <p>Every tenth unit of a thread is a refused operation (a request record without entries); the
 * others have {@value #ENTRIES} entries whose payloads name their unit and their place in it.
 *
 * <p>Arguments: journal file, round name, number of threads.
 */
public final class CrashChild {

    static final int ENTRIES = 3;

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String round = args[1];
        int threads = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        Journal journal = Journal.open(file, JournalOptions.defaults());
        out.println("OPEN " + journal.lastSeq());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String prefix = round + "-t" + t + "-";
            Thread worker = new Thread(() -> {
                try {
                    for (int i = 0; ; i++) {
                        String id = prefix + i;
                        List<Entry> entries = new ArrayList<>();
                        if (i % 10 != 9) {
                            for (int part = 1; part <= ENTRIES; part++) {
                                entries.add(new Entry("crash.part", part,
                                        (id + " " + part + "/" + ENTRIES).getBytes(StandardCharsets.UTF_8)));
                            }
                        }
                        Pending p = journal.append(entries, new RequestRecord(id, "fp-" + id, id.getBytes(StandardCharsets.UTF_8)));
                        p.durable().get();
                        synchronized (out) {
                            out.println("ACK " + p.firstSeq() + " " + p.lastSeq() + " " + id);
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                    System.exit(3);
                }
            }, "crash-appender-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join(); // never returns: the test kills this process
        }
    }
}
