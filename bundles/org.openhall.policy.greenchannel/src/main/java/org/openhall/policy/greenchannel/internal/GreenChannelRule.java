package org.openhall.policy.greenchannel.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.openhall.api.policy.CallingContext;
import org.openhall.api.policy.IssueRequest;
import org.openhall.api.policy.IssueVerdict;
import org.openhall.api.policy.WaitingTicket;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.PriorityClass;

/**
 * R1 (and the place of appointments, R10) as a calling order and an issue check. Plain Java: the
 * time comes in the {@link CallingContext}, so the rule is tested with any time.
 *
 * <p>Calling, among the window's candidates (in the core's default order):
 * <ol>
 * <li>A dedicated window (专窗) calls the oldest green-channel ticket first, without a fairness
 * bound; when none waits for it, it calls like any other window.</li>
 * <li>Elsewhere, priority tickets go before normal ones in their place in time: appointments
 * (R10) always, green-channel tickets when priority calling is on. When priority calling is off,
 * green-channel tickets wait in time order with the normal ones (the hall uses dedicated windows
 * only).</li>
 * <li>Fairness: when the next would be a priority ticket and a normal one waits, the oldest normal
 * ticket goes first after {@code maxConsecutive} priority calls in a row hall-wide (the core's
 * count), or when it has waited longer than {@code maxNormalWait}. Zero switches a bound off.</li>
 * </ol>
 * Issuing: a priority class the hall does not offer is downgraded to NORMAL, or refused.
 */
final class GreenChannelRule {

    private final Settings s;

    /**
     * @param greenClasses     the classes that count as green channel (a subset of GREEN_CHANNEL,
     *                         APPOINTMENT)
     * @param priorityCalling  whether green-channel tickets go first at every window (优先叫号)
     * @param dedicatedWindows windows that call green-channel tickets first (专窗)
     * @param maxConsecutive   priority calls in a row before a normal ticket goes first; 0: no bound
     * @param maxNormalWait    a normal ticket waiting longer goes first; zero: no bound
     * @param offered          the priority classes the hall offers (NORMAL always)
     * @param refuseNotOffered refuse a class not offered instead of issuing it as NORMAL
     */
    record Settings(Set<PriorityClass> greenClasses, boolean priorityCalling, Set<String> dedicatedWindows,
            int maxConsecutive, Duration maxNormalWait, Set<PriorityClass> offered, boolean refuseNotOffered) {

        Settings {
            greenClasses = Set.copyOf(greenClasses);
            dedicatedWindows = Set.copyOf(dedicatedWindows);
            offered = Set.copyOf(offered);
        }
    }

    GreenChannelRule(Settings settings) {
        this.s = settings;
    }

    Settings settings() {
        return s;
    }

    boolean isGreen(WaitingTicket t) {
        return s.greenClasses().contains(t.priority());
    }

    /** Goes before normal tickets at an ordinary window. */
    boolean isPriority(WaitingTicket t) {
        return t.priority() == PriorityClass.APPOINTMENT || s.priorityCalling() && isGreen(t);
    }

    /** The ticket the window calls next, or empty when it has no candidate. */
    Optional<String> chooseNext(CallingContext c) {
        List<WaitingTicket> candidates = c.candidates();
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        if (c.window() != null && s.dedicatedWindows().contains(c.window().id())) {
            for (WaitingTicket t : candidates) {
                if (isGreen(t)) {
                    return Optional.of(t.number());
                }
            }
        }
        List<WaitingTicket> ordered = order(candidates);
        WaitingTicket first = ordered.get(0);
        if (!isPriority(first)) {
            return Optional.of(first.number());
        }
        WaitingTicket oldestNormal = ordered.stream().filter(t -> !isPriority(t)).findFirst().orElse(null);
        if (oldestNormal == null) {
            return Optional.of(first.number());
        }
        return Optional.of(fairnessDue(c.consecutivePriorityCalls(), oldestNormal, c.now()) ? oldestNormal.number()
                : first.number());
    }

    /** Whether the fairness bound lets the oldest normal ticket go before the priority ones (R1). */
    boolean fairnessDue(int consecutivePriorityCalls, WaitingTicket oldestNormal, Instant now) {
        boolean tooMany = s.maxConsecutive() > 0 && consecutivePriorityCalls >= s.maxConsecutive();
        boolean tooLong = !s.maxNormalWait().isZero() && !s.maxNormalWait().isNegative()
                && Duration.between(oldestNormal.waitingSince(), now).compareTo(s.maxNormalWait()) > 0;
        return tooMany || tooLong;
    }

    /**
     * Priority tickets (in the core's order), then the others: the normal ones and, when priority
     * calling is off, the green-channel ones merged into them by issue time (each group keeps the
     * core's order, so re-activated and transferred tickets keep the places the core gave them).
     */
    List<WaitingTicket> order(List<WaitingTicket> coreOrder) {
        List<WaitingTicket> priority = new ArrayList<>();
        List<WaitingTicket> normal = new ArrayList<>();
        List<WaitingTicket> demoted = new ArrayList<>();
        for (WaitingTicket t : coreOrder) {
            if (isPriority(t)) {
                priority.add(t);
            } else if (t.priority() == PriorityClass.NORMAL) {
                normal.add(t);
            } else {
                demoted.add(t); // a priority class that goes with the normal ones here
            }
        }
        List<WaitingTicket> out = new ArrayList<>(priority);
        int i = 0;
        int j = 0;
        while (i < normal.size() || j < demoted.size()) {
            if (j >= demoted.size()
                    || i < normal.size() && !demoted.get(j).issuedAt().isBefore(normal.get(i).issuedAt())) {
                out.add(normal.get(i++));
            } else {
                out.add(demoted.get(j++));
            }
        }
        return out;
    }

    /** The issue gate: a class the hall does not offer becomes NORMAL, or is refused. */
    IssueVerdict check(IssueRequest request) {
        PriorityClass p = request.priority();
        if (p == null || p == PriorityClass.NORMAL || s.offered().contains(p)) {
            return IssueVerdict.allow();
        }
        if (s.refuseNotOffered()) {
            return IssueVerdict.refuse(ErrorCode.REFUSED_BY_POLICY,
                    "this hall does not offer " + p + " tickets (green channel policy, R1)");
        }
        return IssueVerdict.allowAs(PriorityClass.NORMAL,
                "this hall does not offer " + p + " tickets: issued as NORMAL (green channel policy, R1)");
    }
}
