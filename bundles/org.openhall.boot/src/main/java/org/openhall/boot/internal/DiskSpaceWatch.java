package org.openhall.boot.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.config.ConfigReader;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.Alert;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.openhall.api.runtime.HallHome;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises the alert {@value #ALERT_ID} (kind {@value #ALERT_KIND}) while the volume of the hall's
 * {@code data/} has less than {@code minFreeMegabytes} free, and clears it when there is again
 * (with 10 % to spare, so that it does not flap). The alert is hall state like any other: screens
 * and dashboards get it over MQTT <em>before</em> the journal runs out of space, while the alert
 * itself can still be written. Configuration {@code etc/org.openhall.diskwatch.cfg} (optional).
 */
@Component(configurationPid = DiskSpaceWatch.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = DiskSpaceWatch.Ocd.class)
public final class DiskSpaceWatch {

    static final String PID = "org.openhall.diskwatch";
    static final String ALERT_ID = "disk:data";
    static final String ALERT_KIND = "LOW_DISK";
    static final Actor ACTOR = Actor.system("diskwatch");

    @ObjectClassDefinition(id = PID, name = "OpenHall low-disk alert",
            description = "An alert over MQTT while the data volume runs low, before anything fails (etc/org.openhall.diskwatch.cfg)")
    @interface Ocd {
        @AttributeDefinition(description = "Alert while less than this many MiB are free on the volume of data/")
        long minFreeMegabytes() default DEFAULT_MIN_FREE_MB;

        @AttributeDefinition(description = "Seconds between two checks")
        long checkSeconds() default DEFAULT_CHECK_SECONDS;

        @AttributeDefinition(description = "The alert's text; {free} is the free space in MiB")
        String text() default DEFAULT_TEXT;
    }

    static final long DEFAULT_MIN_FREE_MB = 200;
    static final long DEFAULT_CHECK_SECONDS = 30;
    static final String DEFAULT_TEXT = "数据盘剩余空间不足({free} MB),请尽快清理";

    record Settings(long minFreeBytes, long checkSeconds, String text) {
        static Settings parse(Map<String, ?> properties) throws ConfigProblem {
            ConfigReader r = new ConfigReader(properties);
            long mb = r.longInteger("minFreeMegabytes", DEFAULT_MIN_FREE_MB, 1, Long.MAX_VALUE / (1024 * 1024));
            long seconds = r.longInteger("checkSeconds", DEFAULT_CHECK_SECONDS, 1, 86_400);
            String text = r.optional("text", DEFAULT_TEXT);
            if (text.length() > Alert.MAX_TEXT) {
                throw new ConfigProblem("text", "longer than " + Alert.MAX_TEXT + " characters");
            }
            return new Settings(mb * 1024 * 1024, seconds, text);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(DiskSpaceWatch.class);

    private final Path data;
    private final ScheduledExecutorService timer;
    private volatile Settings settings = new Settings(DEFAULT_MIN_FREE_MB * 1024 * 1024, DEFAULT_CHECK_SECONDS, DEFAULT_TEXT);
    private ScheduledFuture<?> task;
    /** Whether the alert is raised as far as this component knows (null: not known yet). */
    private Boolean raised;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile HallQueue queue;

    @Activate
    public DiskSpaceWatch(@Reference HallHome home, Map<String, Object> properties) {
        this.data = home.data();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "openhall-diskwatch");
            t.setDaemon(true);
            return t;
        });
        configure(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties);
    }

    private synchronized void configure(Map<String, Object> properties) {
        try {
            settings = Settings.parse(properties);
        } catch (ConfigProblem p) {
            LOG.error("Rejected configuration {}: key '{}': {}; the last good one stays in force",
                    ConfigReader.source(properties), p.key(), p.reason());
        }
        if (task != null) {
            task.cancel(false);
        }
        task = timer.scheduleWithFixedDelay(this::check, 0, settings.checkSeconds(), TimeUnit.SECONDS);
    }

    /** On the timer thread: never in activate, and a failure here never ends the timer. */
    private void check() {
        try {
            HallQueue q = queue;
            if (q == null) {
                return;
            }
            Settings s = settings;
            long free = Files.getFileStore(Files.isDirectory(data) ? data : data.getParent()).getUsableSpace();
            boolean low = free < s.minFreeBytes();
            boolean clear = free >= s.minFreeBytes() + s.minFreeBytes() / 10;
            if (low && !Boolean.TRUE.equals(raised)) {
                String text = s.text().replace("{free}", Long.toString(free / (1024 * 1024)));
                Result<?> r = q.raiseAlert(Request.by(ACTOR), Alert.of(ALERT_ID, ALERT_KIND, null, null, text));
                if (r.isOk()) {
                    raised = true;
                    LOG.warn("Low disk: {} MiB free on the volume of {}, alert {} raised", free / (1024 * 1024), data, ALERT_ID);
                } else {
                    LOG.warn("Low disk: {} MiB free on the volume of {}; alert not raised ({}), tried again", free / (1024 * 1024), data, r);
                }
            } else if (clear && !Boolean.FALSE.equals(raised)) {
                Result<Boolean> r = q.clearAlert(Request.by(ACTOR), ALERT_ID);
                if (r.isOk()) {
                    if (Boolean.TRUE.equals(r.value())) {
                        LOG.info("Disk space back: {} MiB free on the volume of {}, alert {} cleared", free / (1024 * 1024), data, ALERT_ID);
                    }
                    raised = false;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Low-disk check failed: {}", e.toString());
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(2, TimeUnit.SECONDS);
    }
}
