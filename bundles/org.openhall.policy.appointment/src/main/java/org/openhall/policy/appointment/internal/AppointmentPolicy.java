package org.openhall.policy.appointment.internal;

import java.time.Duration;
import java.util.Map;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.policy.HallView;
import org.openhall.api.policy.IssueGate;
import org.openhall.api.policy.IssueRequest;
import org.openhall.api.policy.IssueVerdict;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The appointment policy (R10) in the hall: an issue gate for check-ins. The time is the core's
 * ({@link HallView#now()}), so the itests and a test clock in the core agree.
 *
 * <p>Service ranking 200: asked after the closing gate (300, which refuses after the cut-off) and
 * before the green channel gate (100, which may downgrade a class the hall does not offer).
 *
 * <p>Active only with its configuration file. A bad file is rejected with file, key and reason,
 * and the last good configuration stays in force.
 */
@Component(configurationPid = Config.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = IssueGate.class, property = Constants.SERVICE_RANKING + ":Integer=200")
@Designate(ocd = Config.Ocd.class)
public final class AppointmentPolicy implements IssueGate {

    private static final Logger LOG = LoggerFactory.getLogger(AppointmentPolicy.class);

    private volatile AppointmentRule rule; // null without a valid configuration: the core's choice stands

    @Activate
    void activate(Map<String, Object> properties) {
        configure(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties);
    }

    private void configure(Map<String, Object> properties) {
        Config c;
        try {
            c = Config.read(properties);
        } catch (ConfigProblem p) {
            LOG.error(p.rejection(properties, ConfigProblem.lastGoodStays(rule != null, "the appointment policy stays inactive (the core's 15 min tolerance applies)")));
            return;
        }
        rule = new AppointmentRule(Duration.ofMinutes(c.earlyMinutes()), Duration.ofMinutes(c.lateGraceMinutes()),
                c.refuseEarly());
        LOG.info("Appointment policy: a check-in is an appointment ticket from {} min before its slot to {} min after"
                + " it; earlier ones are {}", c.earlyMinutes(), c.lateGraceMinutes(),
                c.refuseEarly() ? "refused" : "ordinary tickets");
    }

    @Override
    public IssueVerdict check(IssueRequest request, HallView hall) {
        AppointmentRule r = rule;
        return r == null ? IssueVerdict.allow() : r.check(request, hall.now(), hall.zone());
    }
}
