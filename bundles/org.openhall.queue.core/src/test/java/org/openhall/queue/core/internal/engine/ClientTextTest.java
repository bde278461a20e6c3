package org.openhall.queue.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.openhall.journal.Journal;
import org.openhall.journal.JournalOptions;
import org.openhall.queue.core.domain.Command;

/**
 * Issue 17, point 5: client text that is not well-formed UTF-16 (a lone surrogate) cannot be stored
 * losslessly (sqlite-jdbc writes '?'), so the core refuses it before it reaches the journal, and
 * well-formed text outside the BMP (emoji, CJK) survives a restart exactly. Through the real
 * {@link HallQueueService} on a real journal file, restarted.
 */
class ClientTextTest {

    static final Actor KIOSK = Actor.device("kiosk-1");

    @TempDir
    Path tmp;
    final EngineTest.TestClock clock = new EngineTest.TestClock();
    Journal journal;
    QueueEngine engine;
    HallQueueService hall;

    void start() throws Exception {
        journal = Journal.open(tmp.resolve("journal.db"), JournalOptions.defaults());
        engine = QueueEngine.start(journal, TestHalls.hall(2), clock, () -> null);
        hall = new HallQueueService();
        hall.engine = engine;
    }

    @AfterEach
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
            journal.close();
            engine = null;
        }
    }

    Result<IssuedTicket> issue(String requestId) {
        return hall.issueTicket(Request.by(KIOSK, requestId), "A", PriorityClass.NORMAL, null);
    }

    static void invalid(Result<?> r, String mentions) {
        assertFalse(r.isOk(), "refused");
        assertEquals(ErrorCode.INVALID_ARGUMENT, r.error().code(), r.error().message());
        assertTrue(r.error().message().contains(mentions), r.error().message());
        assertTrue(r.error().message().contains("lone surrogate"), r.error().message());
    }

    @Test
    void requestIdsWithLoneSurrogatesAreRefusedBeforeAndAfterARestart() throws Exception {
        start();
        // Without the check both ids were accepted, stored as "id-?" and, after the restart, the
        // first issued a second ticket and the second got REQUEST_ID_CONFLICT.
        String high = "id-\ud800";
        String low = "id-\udc00";
        invalid(issue(high), "requestId");
        invalid(issue(low), "requestId");
        invalid(issue("\udc00\ud83d"), "requestId"); // reversed pair: two lone surrogates
        long seq = engine.seq();
        assertEquals(0, seq, "nothing was journaled");
        stop();

        start();
        assertEquals(seq, engine.seq());
        invalid(issue(high), "requestId");
        invalid(issue(low), "requestId");
        assertEquals(seq, engine.seq(), "still nothing journaled");
        assertTrue(journal.request("id-?").isEmpty(), "no mangled id in the journal");
    }

    @Test
    void wellFormedIdsOutsideTheBmpSurviveARestartExactly() throws Exception {
        start();
        String emoji = "票-😀-𠀀"; // a surrogate pair and a CJK Extension B ideograph (also a pair)
        String cjk = "请求-一二三";
        IssuedTicket first = issue(emoji).value();
        IssuedTicket second = issue(cjk).value();
        assertEquals("A001", first.ticket().number());
        assertEquals("A002", second.ticket().number());
        long seq = engine.seq();
        stop();

        start();
        assertEquals(first, issue(emoji).value(), "the first result, remembered across the restart");
        assertEquals(second, issue(cjk).value());
        assertEquals(seq, engine.seq(), "repeats write nothing: no second ticket");
        assertEquals(emoji, journal.request(emoji).orElseThrow().requestId(), "stored losslessly");
    }

    @Test
    void everyStringOfACommandIsCheckedTheActorIncluded() throws Exception {
        start();
        invalid(hall.issueTicket(Request.by(Actor.device("kiosk-\ud800"), "ok-1"), "A", null, null), "actor.id");
        invalid(hall.issueTicket(Request.by(KIOSK, "ok-2"), "A\udfff", null, null), "categoryId");
        invalid(hall.pause(Request.by(Actor.staff("s1"), "ok-3"), "1", PauseKind.BRIEF, "午休\ud800"), "reason");
        invalid(hall.assignCategories(Request.by(Actor.staff("s1"), "ok-4"), "1", List.of("A", "\ud800")),
                "categoryIds[1]");
        // The credential is checked too, and never echoed.
        Result<?> open = hall.openWindow(Request.by(Actor.staff("s1"), "ok-5"), "1", "s1", "12\ud8004");
        invalid(open, "credential");
        assertFalse(open.error().message().contains("12"), open.error().message());
        assertEquals(0, engine.seq());
        // The same request ids with valid text go through: nothing was remembered for them.
        assertTrue(hall.issueTicket(Request.by(KIOSK, "ok-2"), "A", null, null).isOk());
    }

    @Test
    void theCheckItself() {
        assertNull(ClientText.problem("x", "普通文本 😀 \t tab"));
        assertNull(ClientText.problem("x", (String) null));
        assertEquals("x is not valid Unicode text: a lone surrogate U+D83D at index 2", ClientText.problem("x", "ab\ud83d"));
        assertNull(ClientText.problem(null, new Command.IssueTicket(KIOSK, "A", PriorityClass.NORMAL, null)));
    }
}
