package org.openhall.queue.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.openhall.api.queue.SignInChallenge;
import org.openhall.api.queue.WindowView;
import org.openhall.journal.Journal;
import org.openhall.journal.JournalOptions;

/**
 * Signing in without sending the PIN (docs/queue.md, "Signing in"), and the lock-out after wrong
 * credentials, through the real service on a real journal; the clock is the test's.
 */
class SignInTest {

    static final Actor CALLER = Actor.device("caller-1");

    @TempDir
    Path tmp;
    final EngineTest.TestClock clock = new EngineTest.TestClock();
    Journal journal;
    QueueEngine engine;
    HallQueueService hall;
    int requests;

    @BeforeEach
    void start() throws Exception {
        journal = Journal.open(tmp.resolve("journal.db"), JournalOptions.defaults());
        engine = QueueEngine.start(journal, TestHalls.hall(2), clock, () -> null);
        hall = new HallQueueService();
        hall.engine = engine;
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        journal.close();
    }

    Request next() {
        return Request.by(CALLER, "r" + (++requests));
    }

    SignInChallenge challenge(String window, String staff) {
        Result<SignInChallenge> c = hall.signInChallenge(window, staff);
        assertTrue(c.isOk(), () -> String.valueOf(c.error()));
        return c.value();
    }

    static void refused(ErrorCode code, Result<?> r) {
        assertFalse(r.isOk(), "refused");
        assertEquals(code, r.error().code(), r.error().message());
    }

    @Test
    void anAnswerToAChallengeSignsInOnceWithoutThePin() {
        SignInChallenge c = challenge("1", "s1");
        assertEquals(TestHalls.PIN_HASH.split("\\$")[2], c.salt(), "the salt of the staff member's credential");
        String answer = c.answer(TestHalls.PIN);
        assertFalse(answer.contains(TestHalls.PIN), "the PIN is not in the answer");
        Request first = next();
        Result<WindowView> opened = hall.openWindow(first, "1", "s1", answer);
        assertTrue(opened.isOk(), () -> String.valueOf(opened.error()));
        // The same request again (an MQTT redelivery) gets its first reply.
        assertTrue(hall.openWindow(first, "1", "s1", answer).isOk());
        // Anyone who read the answer cannot use it again.
        assertTrue(hall.closeWindow(Request.by(Actor.staff("s1"), "close"), "1").isOk());
        Result<WindowView> replay = hall.openWindow(next(), "1", "s1", answer);
        refused(ErrorCode.BAD_CREDENTIALS, replay);
        assertTrue(replay.error().message().contains("used already"), replay.error().message());
    }

    @Test
    void anAnswerCountsOnlyForItsWindowStaffMemberPinAndTime() {
        refused(ErrorCode.BAD_CREDENTIALS, hall.openWindow(next(), "2", "s1", challenge("1", "s1").answer(TestHalls.PIN)));
        refused(ErrorCode.BAD_CREDENTIALS, hall.openWindow(next(), "1", "s2", challenge("1", "s1").answer(TestHalls.PIN)));
        refused(ErrorCode.BAD_CREDENTIALS, hall.openWindow(next(), "1", "s1", challenge("1", "s1").answer("9999")));
        SignInChallenge late = challenge("1", "s1");
        clock.now = clock.now.plus(SignIns.CHALLENGE_LIFETIME).plusSeconds(1);
        Result<WindowView> expired = hall.openWindow(next(), "1", "s1", late.answer(TestHalls.PIN));
        refused(ErrorCode.BAD_CREDENTIALS, expired);
        assertTrue(expired.error().message().contains("expired"), expired.error().message());
        // A forged challenge the hall never issued.
        SignInChallenge forged = new SignInChallenge("1", "s1", "made-up", late.salt(), late.iterations(), late.expiresAt());
        refused(ErrorCode.BAD_CREDENTIALS, hall.openWindow(next(), "1", "s1", forged.answer(TestHalls.PIN)));
        assertTrue(hall.openWindow(next(), "1", "s1", challenge("1", "s1").answer(TestHalls.PIN)).isOk());
        refused(ErrorCode.UNKNOWN_STAFF, hall.signInChallenge("1", "nobody"));
        refused(ErrorCode.UNKNOWN_WINDOW, hall.signInChallenge("9", "s1"));
    }

    @Test
    void wrongCredentialsLockTheStaffMemberOutForAWhile() {
        for (int i = 0; i < SignIns.MAX_FAILURES; i++) {
            refused(ErrorCode.BAD_CREDENTIALS, hall.openWindow(next(), "1", "s1", "000" + i));
        }
        Result<WindowView> locked = hall.openWindow(next(), "1", "s1", TestHalls.PIN);
        refused(ErrorCode.BAD_CREDENTIALS, locked);
        assertTrue(locked.error().message().contains("too many"), locked.error().message());
        refused(ErrorCode.BAD_CREDENTIALS, hall.openWindow(next(), "1", "s1", challenge("1", "s1").answer(TestHalls.PIN)));
        assertTrue(hall.openWindow(next(), "2", "s2", TestHalls.PIN).isOk(), "others are not locked out");
        clock.now = clock.now.plus(SignIns.LOCKOUT).plus(Duration.ofSeconds(1));
        assertTrue(hall.openWindow(next(), "1", "s1", TestHalls.PIN).isOk(), "after the lock-out");
    }
}
