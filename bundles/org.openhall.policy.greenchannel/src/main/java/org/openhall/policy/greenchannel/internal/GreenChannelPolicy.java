package org.openhall.policy.greenchannel.internal;

import java.util.Map;
import java.util.Optional;

import org.openhall.api.config.ConfigProblem;
import org.openhall.api.policy.CallingContext;
import org.openhall.api.policy.CallingPolicy;
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
 * The green channel policy (R1) in the hall: the calling policy (priority calling with a fairness
 * bound, dedicated windows) and an issue gate (priority classes the hall does not offer). Both are
 * asked under the core's lock; they only read the context they are given.
 *
 * <p>Service ranking 100: as an issue gate it is asked after the closing (300) and appointment
 * (200) gates, so a class it does not offer is downgraded after the appointment gate chose it.
 *
 * <p>Active only with its configuration file. A bad file is rejected with file, key and reason,
 * and the last good configuration stays in force.
 */
@Component(configurationPid = Config.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = { CallingPolicy.class, IssueGate.class }, property = Constants.SERVICE_RANKING + ":Integer=100")
@Designate(ocd = Config.Ocd.class)
public final class GreenChannelPolicy implements CallingPolicy, IssueGate {

    private static final Logger LOG = LoggerFactory.getLogger(GreenChannelPolicy.class);

    private volatile GreenChannelRule rule; // null without a valid configuration: the core's default applies

    @Activate
    void activate(Map<String, Object> properties) {
        configure(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties);
    }

    private void configure(Map<String, Object> properties) {
        GreenChannelRule.Settings s;
        try {
            s = Config.read(properties);
        } catch (ConfigProblem p) {
            LOG.error(p.rejection(properties, ConfigProblem.lastGoodStays(rule != null, "the green channel policy stays inactive (the core's default order applies)")));
            return;
        }
        rule = new GreenChannelRule(s);
        LOG.info("Green channel policy: {} count as green channel, priority calling {}, dedicated windows {},"
                + " a normal ticket goes first after {} priority calls in a row or {} min of waiting (0: off);"
                + " offered {}, others {}", s.greenClasses(), s.priorityCalling() ? "on" : "off",
                s.dedicatedWindows(), s.maxConsecutive(), s.maxNormalWait().toMinutes(), s.offered(),
                s.refuseNotOffered() ? "refused" : "issued as NORMAL");
    }

    @Override
    public Optional<String> chooseNext(CallingContext context) {
        GreenChannelRule r = rule;
        // Without a valid configuration: the core's own choice.
        return r == null ? Optional.ofNullable(context.defaultChoice()) : r.chooseNext(context);
    }

    @Override
    public IssueVerdict check(IssueRequest request, HallView hall) {
        GreenChannelRule r = rule;
        return r == null ? IssueVerdict.allow() : r.check(request);
    }
}
