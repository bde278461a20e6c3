package org.openhall.policy.closing.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.policy.CloseGate;
import org.openhall.api.policy.HallView;
import org.openhall.api.policy.IssueGate;
import org.openhall.api.policy.IssueRequest;
import org.openhall.api.policy.IssueVerdict;
import org.openhall.api.policy.PhasePolicy;
import org.openhall.api.queue.HallPhase;
import org.openhall.api.queue.WindowView;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The closing policy (R3, R13) in the hall: an issue gate (no tickets from the cut-off), a close
 * gate (no window closes while tickets issued before the cut-off wait for it alone) and the phase
 * policy (open, extended, closed). The opening hours, weekdays and holidays are the hall's own
 * ({@code org.openhall.hall.cfg}), read through {@link HallView}.
 *
 * <p>The gates are asked under the core's lock and must not call the queue: everything they need
 * is in the {@link HallView} the core hands them. Nothing is stored: the rule derives everything
 * from the hall each time.
 *
 * <p>Active only with its configuration file. A bad file is rejected with file, key and reason,
 * and the last good configuration stays in force.
 */
@Component(configurationPid = Config.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = { IssueGate.class, CloseGate.class, PhasePolicy.class },
        property = Constants.SERVICE_RANKING + ":Integer=300")
@Designate(ocd = Config.Ocd.class)
public final class ClosingPolicy implements IssueGate, CloseGate, PhasePolicy {

    private static final Logger LOG = LoggerFactory.getLogger(ClosingPolicy.class);

    private volatile ClosingRule rule; // null without a valid configuration: the gates allow everything

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
            LOG.error(p.rejection(properties, ConfigProblem.lastGoodStays(rule != null, "the closing policy stays inactive")));
            return;
        }
        rule = new ClosingRule(c.cutoff(), c.kioskText());
        LOG.info("Closing policy: issuing stops {} min before closing; windows stay open and the hall is extended"
                + " until the last ticket is served (R3)", c.cutoff().toMinutes());
    }

    @Override
    public IssueVerdict check(IssueRequest request, HallView hall) {
        ClosingRule r = rule;
        return r == null ? IssueVerdict.allow() : r.check(request, hall);
    }

    @Override
    public Optional<String> refuseClose(WindowView window, HallView hall) {
        ClosingRule r = rule;
        return r == null ? Optional.empty() : r.refuseClose(window, hall, ids(hall));
    }

    @Override
    public HallPhase phase(HallPhase byOpeningHours, HallView hall) {
        ClosingRule r = rule;
        return r == null ? byOpeningHours : r.phase(hall, ids(hall));
    }

    private static List<String> ids(HallView hall) {
        return hall.windows().stream().map(WindowView::id).toList();
    }
}
