package org.openhall.policy.followup.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.openhall.api.queue.Alert;

/**
 * R7, R15: a bad rating or a complaint opens a follow-up with a deadline in working days; an
 * overdue one raises an alert until it is closed. Plain Java with an injectable {@link Clock}.
 *
 * <p>The open follow-ups are not kept here: they are the policy's state in the journal
 * ({@code HallQueue.policyState}), read again for every decision, so a restart or an update of the
 * bundle loses nothing.
 */
final class FollowUpRule {

    static final String KIND = "FOLLOWUP_OVERDUE";
    static final String ALERT_PREFIX = "followup:";
    /** Keys of the policy state that are not follow-ups (the policy's own marks) start with this. */
    static final String INTERNAL_PREFIX = "_";
    static final int MAX_TEXT = 200;
    /** Seven digits or more in a row look like a phone or ID number: never stored (R16). */
    private static final Pattern PERSONAL_NUMBER = Pattern.compile(".*\\d{7,}.*", Pattern.DOTALL);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");

    /** What a check does: raise the alerts of newly overdue follow-ups, clear those of closed ones. */
    record Check(List<FollowUp> raise, List<String> clear) {
    }

    private final Config config;
    private final Clock clock;

    FollowUpRule(Config config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    Config config() {
        return config;
    }

    /** The follow-up a rating opens (R7), if it is a bad one. */
    Optional<FollowUp> rating(String ticket, String windowId, String staffId, String categoryId, int level, Instant at,
            WorkingDays days) {
        if (level > config.badLevel()) {
            return Optional.empty();
        }
        String id = "R" + DAY.format(at.atZone(days.zone())) + "-" + ticket + "-" + windowId;
        Instant deadline = days.deadline(at, config.ratingDays());
        return Optional.of(new FollowUp(id, FollowUp.Kind.RATING, windowId, staffId, ticket, categoryId, level, null, at,
                deadline, days.lastDay(deadline)));
    }

    /**
     * The follow-up a complaint opens (R15), registered now.
     *
     * @param open the ids of the open follow-ups (the new id is not one of them)
     * @throws IllegalArgumentException when the text is empty, too long or looks like personal data
     */
    FollowUp complaint(String windowId, String staffId, String ticket, String text, WorkingDays days,
            Set<String> open) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("the complaint needs a text");
        }
        if (t.length() > MAX_TEXT) {
            throw new IllegalArgumentException("the text is longer than " + MAX_TEXT + " characters");
        }
        if (PERSONAL_NUMBER.matcher(t).matches()) {
            throw new IllegalArgumentException("the text contains a long number (phone or ID number?): the hall keeps"
                    + " no citizen's personal data with a complaint (R16)");
        }
        Instant now = clock.instant();
        String base = "C" + DAY.format(now.atZone(days.zone())) + "-" + TIME.format(now.atZone(days.zone()));
        String id = base;
        for (int n = 2; open.contains(id); n++) {
            id = base + "-" + n;
        }
        Instant deadline = days.deadline(now, config.complaintDays());
        return new FollowUp(id, FollowUp.Kind.COMPLAINT, windowId, staffId, ticket, null, 0, t, now, deadline,
                days.lastDay(deadline));
    }

    /**
     * Compares the open follow-ups with the hall's active alerts.
     *
     * @param open         the open follow-ups
     * @param activeAlerts ids of the hall's active alerts
     */
    Check check(Collection<FollowUp> open, Collection<String> activeAlerts) {
        Instant now = clock.instant();
        List<FollowUp> raise = new ArrayList<>();
        List<String> overdueIds = new ArrayList<>();
        for (FollowUp f : open) {
            if (!now.isBefore(f.deadline())) {
                overdueIds.add(f.alertId());
                if (!activeAlerts.contains(f.alertId())) {
                    raise.add(f);
                }
            }
        }
        List<String> clear = activeAlerts.stream().filter(id -> id.startsWith(ALERT_PREFIX))
                .filter(id -> !overdueIds.contains(id)).toList();
        return new Check(raise, clear);
    }

    Alert alert(FollowUp f) {
        String template = f.kind() == FollowUp.Kind.RATING ? config.ratingText() : config.complaintText();
        String text = template.replace("{window}", nz(f.windowId())).replace("{staff}", nz(f.staffId()))
                .replace("{ticket}", nz(f.ticket())).replace("{id}", f.id()).replace("{due}", f.due().toString());
        return Alert.of(f.alertId(), KIND, f.categoryId(), f.windowId(), text);
    }

    /** The open follow-ups in a policy state; values that are not follow-ups are skipped. */
    static List<FollowUp> open(Map<String, String> state, List<String> unreadable) {
        List<FollowUp> out = new ArrayList<>();
        state.forEach((k, v) -> {
            if (k.startsWith(INTERNAL_PREFIX)) {
                return;
            }
            try {
                out.add(FollowUp.parse(k, v));
            } catch (IllegalArgumentException e) {
                unreadable.add(k);
            }
        });
        out.sort((a, b) -> a.openedAt().compareTo(b.openedAt()));
        return out;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
