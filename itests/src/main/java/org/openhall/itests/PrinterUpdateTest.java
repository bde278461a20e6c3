package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.device.Kiosk;
import org.openhall.api.device.KioskIssue;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.openhall.api.runtime.HallHome;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The printer bundle is stopped and updated while tickets are issued: the core keeps issuing, and
 * after the update the kiosk prints again on its (network) printer, without restarting anything
 * else. The printer is a {@link NetworkPrinter} on a local TCP port.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class PrinterUpdateTest {

    static final String PRINTER_BUNDLE = "org.openhall.device.printer";

    @InjectBundleContext
    BundleContext context;

    @InjectService
    HallHome home;

    @InjectService(timeout = 30_000)
    HallQueue queue;

    static void write(Path file, String content) throws IOException {
        Path part = file.resolveSibling("." + file.getFileName() + ".part");
        Files.writeString(part, content, StandardCharsets.UTF_8);
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private KioskIssue printedTicket(ServiceTracker<Kiosk, Kiosk> kiosks) {
        return Poll.until("a printed ticket from the kiosk", Duration.ofSeconds(20), () -> {
            Kiosk k = kiosks.getService();
            if (k == null) {
                return Optional.empty();
            }
            KioskIssue r = k.issue(Request.by(Actor.device("itest-kiosk")), "A", PriorityClass.NORMAL);
            return r.printed() ? Optional.of(r) : Optional.empty();
        });
    }

    @Test
    void stoppingAndUpdatingThePrinterBundleDoesNotStopIssuing() throws Exception {
        Path printerCfg = home.etc().resolve("org.openhall.printer-itest.cfg");
        Path kioskCfg = home.etc().resolve("org.openhall.kiosk-itest.cfg");
        ServiceTracker<Kiosk, Kiosk> kiosks = new ServiceTracker<>(context,
                FrameworkUtil.createFilter("(&(objectClass=" + Kiosk.class.getName() + ")(" + Kiosk.KIOSK_ID + "=itest-kiosk))"),
                null);
        kiosks.open();
        ExecutorService issuers = Executors.newFixedThreadPool(2);
        try (NetworkPrinter printer = new NetworkPrinter()) {
            write(printerCfg, "printer.id=itest-printer\nlink=tcp:127.0.0.1:" + printer.port()
                    + "\npollMillis=200\nanswerTimeoutMillis=300\n");
            write(kioskCfg, "kiosk.id=itest-kiosk\nprinter=itest-printer\ncategories=A,B\nprintTimeoutMillis=2000\n"
                    + "qr=https://hall.example/t/{ticket}\n");
            KioskIssue first = printedTicket(kiosks);
            String firstNumber = first.ticket().value().ticket().number();
            Poll.until("the first ticket reached the printer", () -> printer.text().contains(firstNumber));

            // Other kiosks keep issuing straight through the queue while the printer bundle changes.
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger issued = new AtomicInteger();
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Actor actor = Actor.device("itest-issuer-" + i);
                running.add(issuers.submit(() -> {
                    while (!stop.get()) {
                        LockSupport.parkNanos(20_000_000); // a kiosk's pace, not synchronisation
                        Result<?> r = queue.issueTicket(Request.by(actor, UUID.randomUUID().toString()), "B",
                                PriorityClass.NORMAL, null);
                        if (!r.isOk()) {
                            throw new AssertionError("issuing failed: " + r.error());
                        }
                        issued.incrementAndGet();
                    }
                    return null;
                }));
            }

            Bundle bundle = Stream.of(context.getBundles()).filter(b -> PRINTER_BUNDLE.equals(b.getSymbolicName()))
                    .findFirst().orElseThrow();
            bundle.stop();
            Poll.until("the kiosk is gone with its bundle", () -> kiosks.getService() == null);
            int whileStopped = issued.get();
            Poll.until("tickets issued while the printer bundle is stopped", () -> issued.get() >= whileStopped + 10);

            bundle.update();
            if (bundle.getState() != Bundle.ACTIVE) {
                bundle.start();
            }
            KioskIssue after = printedTicket(kiosks);
            String afterNumber = after.ticket().value().ticket().number();
            Poll.until("the ticket after the update reached the printer", () -> printer.text().contains(afterNumber));
            int afterUpdate = issued.get();
            Poll.until("issuing goes on after the update", () -> issued.get() >= afterUpdate + 10);

            stop.set(true);
            for (Future<?> f : running) {
                f.get(30, TimeUnit.SECONDS);
            }
            long printerThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("openhall-printer-itest-printer")).count();
            assertTrue(printerThreads <= 1, "no printer thread leaked across the update: " + printerThreads);
        } finally {
            issuers.shutdownNow();
            Files.deleteIfExists(kioskCfg);
            Files.deleteIfExists(printerCfg);
            Poll.until("the kiosk configuration removed", () -> kiosks.getService() == null);
            kiosks.close();
        }
    }
}
