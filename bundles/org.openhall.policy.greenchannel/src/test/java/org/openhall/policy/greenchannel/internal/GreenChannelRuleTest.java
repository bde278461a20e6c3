package org.openhall.policy.greenchannel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.openhall.api.config.ConfigProblem;
import org.openhall.api.policy.CallingContext;
import org.openhall.api.policy.IssueRequest;
import org.openhall.api.policy.IssueVerdict;
import org.openhall.api.policy.WaitingTicket;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.WindowState;
import org.openhall.api.queue.WindowView;

/** R1 with explicit times: tickets and the clock are given to the rule. */
class GreenChannelRuleTest {

    private static final Instant T = Instant.parse("2026-03-02T01:00:00Z"); // 09:00 in Asia/Shanghai
    private static final PriorityClass N = PriorityClass.NORMAL;
    private static final PriorityClass G = PriorityClass.GREEN_CHANNEL;
    private static final PriorityClass P = PriorityClass.APPOINTMENT;

    private static GreenChannelRule.Settings settings(boolean priorityCalling, Set<String> dedicated, int k,
            int maxWaitMinutes) {
        return new GreenChannelRule.Settings(Set.of(G), priorityCalling, dedicated, k,
                Duration.ofMinutes(maxWaitMinutes), Set.of(G, P), false);
    }

    private static WaitingTicket t(String number, PriorityClass p, int issuedMinute) {
        Instant at = T.plusSeconds(60L * issuedMinute);
        return new WaitingTicket(number, number.substring(0, 1), p, at, at, null, false);
    }

    /** Candidates in the core's default order: priority first, then issue time. */
    private static List<WaitingTicket> coreOrder(WaitingTicket... tickets) {
        List<WaitingTicket> l = new ArrayList<>(List.of(tickets));
        l.sort(java.util.Comparator.comparingInt((WaitingTicket w) -> w.priority() == N ? 1 : 0)
                .thenComparing(WaitingTicket::issuedAt));
        return l;
    }

    private static CallingContext at(String window, int consecutive, int minute, WaitingTicket... tickets) {
        WindowView w = new WindowView(window, window, WindowState.IDLE, List.of("A"), false, null, "1001", null, null,
                null, T);
        return new CallingContext(w, coreOrder(tickets), consecutive, null, T.plusSeconds(60L * minute));
    }

    @Test
    void greenChannelTicketsGoFirstUntilKInARowThenANormalOne() {
        GreenChannelRule rule = new GreenChannelRule(settings(true, Set.of(), 3, 0));
        WaitingTicket a1 = t("A001", N, 0);
        WaitingTicket a2 = t("A002", G, 5);
        assertEquals(Optional.of("A002"), rule.chooseNext(at("1", 0, 6, a1, a2)));
        assertEquals(Optional.of("A002"), rule.chooseNext(at("1", 2, 6, a1, a2)));
        assertEquals(Optional.of("A001"), rule.chooseNext(at("1", 3, 6, a1, a2)), "after 3 in a row (R1)");
    }

    @Test
    void aNormalTicketWaitingLongerThanTheBoundGoesFirst() {
        GreenChannelRule rule = new GreenChannelRule(settings(true, Set.of(), 0, 30));
        WaitingTicket a1 = t("A001", N, 0);
        WaitingTicket a2 = t("A002", G, 10);
        assertEquals(Optional.of("A002"), rule.chooseNext(at("1", 50, 30, a1, a2)), "exactly 30 min: not longer");
        assertEquals(Optional.of("A001"), rule.chooseNext(at("1", 0, 31, a1, a2)));
    }

    @Test
    void withoutPriorityCallingGreenTicketsWaitInTimeOrderButAppointmentsStillGoFirst() {
        GreenChannelRule rule = new GreenChannelRule(settings(false, Set.of(), 0, 0));
        WaitingTicket a1 = t("A001", N, 0);
        WaitingTicket a2 = t("A002", G, 5);
        WaitingTicket a3 = t("A003", N, 7);
        WaitingTicket a4 = t("A004", P, 9);
        assertEquals(Optional.of("A004"), rule.chooseNext(at("1", 0, 10, a1, a2, a3, a4)), "appointment (R10)");
        assertEquals(List.of("A004", "A001", "A002", "A003"),
                rule.order(coreOrder(a1, a2, a3, a4)).stream().map(WaitingTicket::number).toList());
        assertEquals(Optional.of("A001"), rule.chooseNext(at("1", 0, 10, a1, a2, a3)));
    }

    @Test
    void aDedicatedWindowCallsGreenChannelFirstWithoutBoundThenFallsBack() {
        GreenChannelRule rule = new GreenChannelRule(settings(false, Set.of("5"), 3, 30));
        WaitingTicket a1 = t("A001", N, 0);
        WaitingTicket a2 = t("A002", G, 5);
        WaitingTicket a3 = t("A003", P, 6);
        // At the dedicated window: the green ticket, even after many priority calls and a long wait.
        assertEquals(Optional.of("A002"), rule.chooseNext(at("5", 10, 90, a1, a2, a3)));
        // At an ordinary window (priority calling off): the appointment, then time order.
        assertEquals(Optional.of("A003"), rule.chooseNext(at("1", 0, 10, a1, a2, a3)));
        assertEquals(Optional.of("A001"), rule.chooseNext(at("1", 0, 10, a1, a2)));
        // No green ticket waits: the dedicated window serves the others.
        assertEquals(Optional.of("A001"), rule.chooseNext(at("5", 0, 10, a1)));
        assertEquals(Optional.empty(), rule.chooseNext(at("5", 0, 10)));
    }

    @Test
    void appointmentsCanCountAsGreenChannel() {
        GreenChannelRule rule = new GreenChannelRule(new GreenChannelRule.Settings(Set.of(G, P), false, Set.of("5"), 0,
                Duration.ZERO, Set.of(G, P), false));
        WaitingTicket a1 = t("A001", N, 0);
        WaitingTicket a3 = t("A003", P, 6);
        assertTrue(rule.isGreen(a3));
        assertEquals(Optional.of("A003"), rule.chooseNext(at("5", 0, 10, a1, a3)));
    }

    @Test
    void withTheDefaultsTheRuleCallsAsTheCoreDoes() {
        GreenChannelRule rule = new GreenChannelRule(settings(true, Set.of(), 3, 30));
        WaitingTicket a1 = t("A001", N, 0);
        WaitingTicket a2 = t("A002", G, 1);
        WaitingTicket a3 = t("A003", P, 2);
        assertEquals(List.of("A002", "A003", "A001"),
                rule.order(coreOrder(a1, a2, a3)).stream().map(WaitingTicket::number).toList());
    }

    @Test
    void classesTheHallDoesNotOfferAreDowngradedOrRefused() {
        IssueRequest green = new IssueRequest(Actor.device("kiosk-1"), "A", G, null, null, null, null);
        GreenChannelRule offersAll = new GreenChannelRule(settings(true, Set.of(), 3, 30));
        assertFalse(offersAll.check(green).refused());
        assertEquals(null, offersAll.check(green).priority());

        GreenChannelRule downgrades = new GreenChannelRule(new GreenChannelRule.Settings(Set.of(G), true, Set.of(), 3,
                Duration.ZERO, Set.of(P), false));
        IssueVerdict v = downgrades.check(green);
        assertFalse(v.refused());
        assertEquals(N, v.priority());
        assertEquals(null, downgrades.check(green.withPriority(N)).priority());

        GreenChannelRule refuses = new GreenChannelRule(new GreenChannelRule.Settings(Set.of(G), true, Set.of(), 3,
                Duration.ZERO, Set.of(), true));
        assertEquals(ErrorCode.REFUSED_BY_POLICY, refuses.check(green).refusal());
        assertFalse(refuses.check(green.withPriority(N)).refused());
    }

    @Test
    void configurationIsCheckedWithKeyAndReason() throws ConfigProblem {
        GreenChannelRule.Settings d = Config.read(Map.of());
        assertEquals(Set.of(G), d.greenClasses());
        assertTrue(d.priorityCalling());
        assertEquals(Set.of(), d.dedicatedWindows());
        assertEquals(3, d.maxConsecutive());
        assertEquals(Duration.ofMinutes(30), d.maxNormalWait());
        assertEquals(Set.of(G, P), d.offered());
        assertFalse(d.refuseNotOffered());

        GreenChannelRule.Settings s = Config.read(Map.of("greenClasses", "green_channel, APPOINTMENT",
                "priorityCalling", "false", "dedicatedWindows", "5,6", "offeredClasses", "none", "notOffered",
                "refuse"));
        assertEquals(Set.of(G, P), s.greenClasses());
        assertEquals(Set.of("5", "6"), s.dedicatedWindows());
        assertEquals(Set.of(), s.offered());
        assertTrue(s.refuseNotOffered());

        assertEquals("greenClasses",
                assertThrows(ConfigProblem.class, () -> Config.read(Map.of("greenClasses", "VIP"))).key());
        assertEquals("offeredClasses",
                assertThrows(ConfigProblem.class, () -> Config.read(Map.of("offeredClasses", "NORMAL"))).key());
        assertEquals("notOffered",
                assertThrows(ConfigProblem.class, () -> Config.read(Map.of("notOffered", "maybe"))).key());
        assertEquals("maxConsecutivePriorityCalls", assertThrows(ConfigProblem.class,
                () -> Config.read(Map.of("maxConsecutivePriorityCalls", "-1"))).key());
        assertEquals("priorityCalling",
                assertThrows(ConfigProblem.class, () -> Config.read(Map.of("priorityCalling", "yes"))).key());
    }
}
