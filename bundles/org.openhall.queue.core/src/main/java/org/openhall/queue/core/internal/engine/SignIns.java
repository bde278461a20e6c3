package org.openhall.queue.core.internal.engine;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.openhall.api.config.Credentials;
import org.openhall.api.queue.SignInChallenge;

/**
 * What the hall remembers about signing in, outside the journal (a restart forgets it, which
 * only costs a new challenge): the one-time challenges it issued (docs/queue.md, "Signing in")
 * and the failed attempts per staff member, which lock that staff member out for a while after
 * {@value #MAX_FAILURES} failures, so that a PIN cannot be guessed online.
 *
 * <p>Thread-safe; memory is bounded ({@value #MAX_CHALLENGES} open challenges at most, the oldest
 * forgotten first).
 */
final class SignIns {

    /** How long a challenge can be answered. */
    static final Duration CHALLENGE_LIFETIME = Duration.ofMinutes(2);
    /** Open challenges kept at most. */
    static final int MAX_CHALLENGES = 1_000;
    /** Failed sign-ins of one staff member within {@link #LOCKOUT} that lock it out. */
    static final int MAX_FAILURES = 5;
    /** How long failures count, and how long a lock-out lasts. */
    static final Duration LOCKOUT = Duration.ofMinutes(5);

    private record Issued(String windowId, String staffId, Instant expiresAt) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Issued> open = new LinkedHashMap<>();
    /** Answered challenges: nonce to the request id that used it, so a repeat of that request gets its first reply. */
    private final Map<String, String> used = new LinkedHashMap<>();
    private final Map<String, Deque<Instant>> failures = new HashMap<>();

    /** A new challenge for {@code staffId} at {@code windowId}, whose credential is {@code credentialHash}. */
    synchronized SignInChallenge challenge(String windowId, String staffId, String credentialHash, Instant now) {
        Credentials.Salt salt = Credentials.salt(credentialHash);
        if (salt == null) {
            throw new IllegalArgumentException("the credential of staff " + staffId + " is not a PBKDF2 hash");
        }
        expire(now);
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expiresAt = now.plus(CHALLENGE_LIFETIME);
        open.put(nonce, new Issued(windowId, staffId, expiresAt));
        while (open.size() > MAX_CHALLENGES) {
            Iterator<String> oldest = open.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return new SignInChallenge(windowId, staffId, nonce, Base64.getEncoder().encodeToString(salt.salt()),
                salt.iterations(), expiresAt);
    }

    /**
     * Whether a sign-in may go to the queue: null when it may, else why not. A challenge answer is
     * taken (it cannot be used again) unless it is a repeat of the request that used it.
     */
    synchronized String admit(String requestId, String windowId, String staffId, String credential, Instant now) {
        expire(now);
        Deque<Instant> failed = failures.get(staffId);
        if (failed != null && failed.size() >= MAX_FAILURES) {
            return "too many failed sign-ins for staff " + staffId + "; try again after "
                    + failed.peekFirst().plus(LOCKOUT);
        }
        String nonce = SignInChallenge.nonceOf(credential);
        if (nonce == null) {
            return SignInChallenge.isAnswer(credential) ? "the sign-in answer is malformed" : null;
        }
        String user = used.get(nonce);
        if (user != null) {
            return user.equals(requestId) ? null : "the sign-in challenge was used already; ask for a new one";
        }
        Issued issued = open.remove(nonce);
        if (issued == null) {
            return "unknown or expired sign-in challenge; ask for a new one";
        }
        if (!issued.windowId().equals(windowId) || !issued.staffId().equals(staffId)) {
            return "the sign-in challenge was issued for another window or staff member";
        }
        used.put(nonce, requestId);
        while (used.size() > MAX_CHALLENGES) {
            Iterator<String> oldest = used.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return null;
    }

    /** Counts a failed sign-in of {@code staffId} (a credential that did not match). */
    synchronized void failed(String staffId, Instant now) {
        failures.computeIfAbsent(staffId, k -> new ArrayDeque<>()).addLast(now);
        expire(now);
    }

    /** A successful sign-in clears the staff member's failures. */
    synchronized void succeeded(String staffId) {
        failures.remove(staffId);
    }

    private void expire(Instant now) {
        open.values().removeIf(i -> !now.isBefore(i.expiresAt()));
        Instant horizon = now.minus(LOCKOUT);
        for (Iterator<Deque<Instant>> it = failures.values().iterator(); it.hasNext();) {
            Deque<Instant> d = it.next();
            while (!d.isEmpty() && !d.peekFirst().isAfter(horizon)) {
                d.pollFirst();
            }
            if (d.isEmpty()) {
                it.remove();
            }
        }
    }
}
