package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.QueueEvents;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.openhall.api.runtime.HallHome;
import org.openhall.itests.swap.SwapActivator;
import org.openhall.itests.swap.SwapGateV1;
import org.openhall.itests.swap.SwapGateV2;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.service.event.Event;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * Hot swap of a policy under load (issue 6): three kiosks issue green-channel tickets from several
 * threads while a policy jar is dropped into deploy/, replaced by a new version, stopped, started
 * again and removed. No operation fails, no acknowledged ticket is lost, the sequence numbers stay
 * contiguous, and in each stable period the tickets show the behaviour of the version installed:
 * v1 makes every ticket NORMAL, v2 only those of category A, without the policy the core keeps
 * GREEN_CHANNEL.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class PolicyHotSwapTest {

    static final String BSN = "org.openhall.itests.swap";
    static final int KIOSKS = 3;
    static final String[] CATEGORIES = { "A", "B", "C" };
    /** About 30 tickets a second in all: a day has 999 numbers per category, and other tests need theirs. */
    static final long PACE_NANOS = 100_000_000;
    /** Results wanted in each stable period before the next change. */
    static final int PER_PERIOD = 9;

    enum Period {
        NONE, V1, V2, V2_STOPPED, V2_RESTARTED, REMOVED, CHANGING
    }

    record Issued(Period period, String number, String category, PriorityClass priority) {
    }

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 30_000)
    HallQueue queue;

    @InjectService
    HallHome home;

    volatile Period period = Period.CHANGING;
    volatile boolean running = true;
    final List<Issued> issued = Collections.synchronizedList(new ArrayList<>());

    @Test
    void aPolicyIsInstalledUpdatedStoppedStartedAndRemovedUnderLoad() throws Exception {
        EventRecorder events = new EventRecorder(context);
        Path jar = home.deploy().resolve("swap-policy.jar");
        long before = queue.snapshot().seq();
        ExecutorService pool = Executors.newFixedThreadPool(KIOSKS);
        List<Future<?>> kiosks = new ArrayList<>();
        try {
            for (int k = 0; k < KIOSKS; k++) {
                int id = k;
                kiosks.add(pool.submit(() -> kiosk(id)));
            }
            stable(Period.NONE, kiosks);

            period = Period.CHANGING;
            drop(jar, bundle("1.0.0", SwapGateV1.class));
            Bundle b = awaitActive(new Version(1, 0, 0));
            stable(Period.V1, kiosks);

            period = Period.CHANGING;
            drop(jar, bundle("2.0.0", SwapGateV2.class));
            Bundle updated = awaitActive(new Version(2, 0, 0));
            assertEquals(b.getBundleId(), updated.getBundleId(), "updated in place");
            stable(Period.V2, kiosks);

            period = Period.CHANGING;
            updated.stop();
            stable(Period.V2_STOPPED, kiosks);

            period = Period.CHANGING;
            updated.start();
            stable(Period.V2_RESTARTED, kiosks);

            period = Period.CHANGING;
            Files.delete(jar);
            Poll.until(BSN + " uninstalled", () -> find().isEmpty());
            stable(Period.REMOVED, kiosks);
        } finally {
            running = false;
            pool.shutdown();
            pool.awaitTermination(30, TimeUnit.SECONDS);
            Files.deleteIfExists(jar);
        }
        // Leave no queue behind for the tests that follow (they judge waiting counts and the phase).
        QueueCoreTest helper = new QueueCoreTest();
        helper.queue = queue;
        helper.drainAll();
        for (Future<?> f : kiosks) {
            f.get(); // rethrows a failed operation
        }

        List<Issued> all;
        synchronized (issued) {
            all = new ArrayList<>(issued);
        }
        for (Issued i : all) {
            PriorityClass expected = switch (i.period()) {
                case NONE, V2_STOPPED, REMOVED -> PriorityClass.GREEN_CHANNEL;
                case V1 -> PriorityClass.NORMAL;
                case V2, V2_RESTARTED -> "A".equals(i.category()) ? PriorityClass.NORMAL : PriorityClass.GREEN_CHANNEL;
                case CHANGING -> i.priority();
            };
            assertEquals(expected, i.priority(), () -> "ticket " + i);
            assertTrue(queue.ticket(i.number()).isPresent(), () -> "acknowledged ticket " + i.number() + " is in the hall");
        }
        long after = queue.snapshot().seq();
        List<Event> seen = events.awaitThrough(before, after, java.time.Duration.ofSeconds(30));
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(before + 1 + i, EventRecorder.seq(seen.get(i)), "contiguous seq");
        }
        long issuedEvents = seen.stream().filter(e -> QueueEvents.TICKET_ISSUED.equals(e.getProperty(QueueEvents.TYPE)))
                .count();
        assertEquals(all.size(), issuedEvents, "one ticket.issued per acknowledged ticket");
        events.close();
    }

    /** One kiosk: issues paced green-channel tickets until told to stop; any refusal fails the test. */
    private Void kiosk(int id) {
        int n = 0;
        while (running) {
            String category = CATEGORIES[(id + n++) % CATEGORIES.length];
            Period at = period;
            Result<IssuedTicket> r = queue.issueTicket(Request.by(Actor.device("swap-kiosk-" + id),
                    UUID.randomUUID().toString()), category, PriorityClass.GREEN_CHANNEL, null);
            if (!r.isOk()) {
                throw new AssertionError("kiosk " + id + ": issuing in " + category + " failed: " + r.error());
            }
            Period now = period;
            issued.add(new Issued(at == now ? at : Period.CHANGING, r.value().ticket().number(), category,
                    r.value().ticket().priority()));
            LockSupport.parkNanos(PACE_NANOS);
        }
        return null;
    }

    /** Enters a stable period and waits until every kiosk's results of it are enough to judge. */
    private void stable(Period p, List<Future<?>> kiosks) {
        period = p;
        Poll.until(PER_PERIOD + " tickets issued in period " + p, Poll.DEFAULT, () -> {
            for (Future<?> f : kiosks) {
                if (f.isDone()) {
                    return Optional.of(true); // a kiosk failed: stop waiting, the end of the test reports it
                }
            }
            long count;
            synchronized (issued) {
                count = issued.stream().filter(i -> i.period() == p).count();
            }
            return count >= PER_PERIOD ? Optional.of(true) : Optional.empty();
        });
    }

    private Bundle awaitActive(Version v) {
        return Poll.until(BSN + " " + v + " ACTIVE", Poll.DEFAULT,
                () -> find().filter(b -> b.getState() == Bundle.ACTIVE && b.getVersion().equals(v)));
    }

    private Optional<Bundle> find() {
        return Stream.of(context.getBundles()).filter(b -> BSN.equals(b.getSymbolicName())).findFirst();
    }

    private static void drop(Path target, byte[] content) throws IOException {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        Files.write(part, content);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A policy bundle made of the test's own class files: the activator and one gate. */
    private static byte[] bundle(String version, Class<?> gate) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", BSN);
        main.putValue("Bundle-Version", version);
        main.putValue("Bundle-Activator", SwapActivator.class.getName());
        main.putValue("Swap-Gate", gate.getName());
        main.putValue("Import-Package", "org.openhall.api.policy;version=\"[1.1,2)\","
                + "org.openhall.api.queue;version=\"[1.1,2)\",org.osgi.framework");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            for (Class<?> c : List.of(SwapActivator.class, gate)) {
                String entry = c.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(entry));
                try (InputStream in = PolicyHotSwapTest.class.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
