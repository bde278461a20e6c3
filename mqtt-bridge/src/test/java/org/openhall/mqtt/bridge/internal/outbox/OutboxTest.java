package org.openhall.mqtt.bridge.internal.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.mqtt.bridge.internal.outbox.OutboxMessage.Kind;
import org.openhall.mqtt.bridge.internal.payload.Announcements;
import org.openhall.mqtt.bridge.internal.payload.Json;
import org.openhall.mqtt.bridge.internal.payload.Payloads;
import org.openhall.mqtt.bridge.internal.payload.Schemas;

/** The outbox on real SQLite files. */
class OutboxTest {

    static final String ROOT = "openhall/v1/test/";
    static final Payloads PAYLOADS = new Payloads("test", Announcements.defaults(), 10);
    static final Instant T = Instant.parse("2026-11-22T08:00:00Z");

    @TempDir
    Path tmp;

    Outbox open(long quota) {
        return Outbox.open(tmp.resolve("outbox.db"), quota, ROOT + "events/gap",
                (from, to) -> Json.bytes(PAYLOADS.gap(from, to, T)));
    }

    static OutboxMessage event(long seq) {
        return OutboxMessage.of(Kind.EVENT, ROOT + "events/ticket.issued",
                ("{\"seq\":" + seq + "}").getBytes(UTF_8), false, seq);
    }

    static OutboxMessage state(String topic, String payload) {
        return OutboxMessage.of(Kind.STATE, ROOT + topic, payload.getBytes(UTF_8), true, 0);
    }

    static OutboxMessage stats(String payload) {
        return OutboxMessage.of(Kind.STATS, ROOT + "stats/today", payload.getBytes(UTF_8), true, 0);
    }

    static List<String> texts(List<OutboxMessage> ms) {
        List<String> out = new ArrayList<>();
        ms.forEach(m -> out.add(m.topic().substring(ROOT.length()) + " " + new String(m.payload(), UTF_8)));
        return out;
    }

    @Test
    void messagesLeaveInOrderAndOnlyAcknowledgedOnesAreDeletedAcrossReopen() {
        try (Outbox o = open(Outbox.DEFAULT_QUOTA)) {
            o.add(event(1));
            o.addAll(List.of(event(2), state("windows/1", "{\"w\":1}"), event(3)));
            List<OutboxMessage> head = o.peek(10);
            assertEquals(List.of("events/ticket.issued {\"seq\":1}", "events/ticket.issued {\"seq\":2}",
                    "windows/1 {\"w\":1}", "events/ticket.issued {\"seq\":3}"), texts(head));
            assertTrue(head.get(2).retained());
            o.acknowledge(head.get(0).id());
            o.acknowledge(head.get(2).id());
        }
        try (Outbox o = open(Outbox.DEFAULT_QUOTA)) {
            assertEquals(List.of("events/ticket.issued {\"seq\":2}", "events/ticket.issued {\"seq\":3}"),
                    texts(o.peek(10)), "unacknowledged messages survive a restart, in order");
            o.add(event(4));
            assertEquals(4, o.peek(10).get(2).seq(), "new messages go after the old ones");
            assertEquals(2, o.peek(2).size(), "peek honours its limit");
        }
    }

    @Test
    void severalAcknowledgementsAreRecordedInOneCallAndFreeTheirBytes() {
        try (Outbox o = open(Outbox.DEFAULT_QUOTA)) {
            o.addAll(List.of(event(1), event(2), event(3), state("windows/1", "{}")));
            long before = o.bytes();
            List<OutboxMessage> head = o.peek(10);
            o.acknowledgeAll(List.of(head.get(0).id(), head.get(2).id(), 999_999L));
            assertEquals(List.of("events/ticket.issued {\"seq\":2}", "windows/1 {}"), texts(o.peek(10)),
                    "only the acknowledged ones are gone; an unknown id is ignored");
            assertEquals(before - Outbox.size(head.get(0).topic(), head.get(0).payload())
                    - Outbox.size(head.get(2).topic(), head.get(2).payload()), o.bytes());
        }
    }

    @Test
    void theLastSeqQueuedIsRecordedWithTheEventsAndSurvivesReopen() throws Exception {
        try (Outbox o = open(Outbox.DEFAULT_QUOTA)) {
            assertTrue(o.lastSeq().isEmpty(), "a new outbox knows no seq");
            o.setLastSeq(7);
            o.addEvents(List.of(OutboxMessage.gap(8, 9), event(10), event(11)), 11);
            List<OutboxMessage> head = o.peek(10);
            assertEquals(3, head.size());
            assertEquals(Kind.GAP, head.get(0).kind());
            assertEquals(ROOT + "events/gap", head.get(0).topic());
            assertEquals(8, head.get(0).seq());
            assertEquals(9, head.get(0).seqTo());
            Schemas.assertValid("gap.json", Json.read(head.get(0).payload()));
            assertThrows(IllegalArgumentException.class, () -> o.addEvents(List.of(state("windows/1", "{}")), 12));
            assertEquals(11, o.lastSeq().getAsLong(), "a refused call records nothing");
        }
        try (Outbox o = open(Outbox.DEFAULT_QUOTA)) {
            assertEquals(11, o.lastSeq().getAsLong());
            assertEquals(3, o.size());
        }
    }

    @Test
    void aVersion1OutboxIsUpgradedAndTakesItsLastSeqFromTheEventsItHolds() throws Exception {
        try (Outbox o = open(Outbox.DEFAULT_QUOTA)) {
            o.addAll(List.of(event(4), event(5), state("windows/1", "{}")));
        }
        // What version 1 of the bridge left: no meta table, user_version 1.
        org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + tmp.resolve("outbox.db"));
        try (java.sql.Connection c = ds.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("DROP TABLE meta");
            s.executeUpdate("PRAGMA user_version = 1");
        }
        try (Outbox o = open(Outbox.DEFAULT_QUOTA)) {
            assertEquals(5, o.lastSeq().getAsLong());
            assertEquals("2", o.pragma("user_version"));
            assertEquals(3, o.size(), "nothing lost in the upgrade");
        }
    }

    @Test
    void theFileIsInWalModeWithFullSynchronousCommits() {
        try (Outbox o = open(Outbox.DEFAULT_QUOTA)) {
            assertEquals("wal", o.pragma("journal_mode"));
            assertEquals("2", o.pragma("synchronous"), "FULL: every commit is fsynced (power loss)");
            assertEquals(String.valueOf(Outbox.APPLICATION_ID), o.pragma("application_id"));
        }
    }

    @Test
    void retainedStateIsCoalescedPerTopic() {
        try (Outbox o = open(Outbox.DEFAULT_QUOTA)) {
            o.add(state("categories/A", "{\"waiting\":1}"));
            o.add(state("categories/B", "{\"waiting\":5}"));
            o.add(event(1));
            o.add(state("categories/A", "{\"waiting\":2}"));
            o.add(stats("{\"n\":1}"));
            o.add(stats("{\"n\":2}"));
            o.add(OutboxMessage.of(Kind.EVENT, ROOT + "events/ticket.called", "{\"seq\":2}".getBytes(UTF_8), false, 2));
            assertEquals(List.of("categories/B {\"waiting\":5}", "events/ticket.issued {\"seq\":1}",
                    "categories/A {\"waiting\":2}", "stats/today {\"n\":2}", "events/ticket.called {\"seq\":2}"),
                    texts(o.peek(10)), "only the newest state per topic; events are never coalesced");
            long expected = 0;
            for (OutboxMessage m : o.peek(10)) {
                expected += Outbox.size(m.topic(), m.payload());
            }
            assertEquals(expected, o.bytes(), "the byte count follows coalescing");
        }
    }

    @Test
    void acknowledgingAMessageThatWasCoalescedMeanwhileKeepsTheNewerOne() {
        try (Outbox o = open(Outbox.DEFAULT_QUOTA)) {
            o.add(state("windows/1", "{\"v\":1}"));
            long inFlight = o.peek(1).get(0).id();
            o.add(state("windows/1", "{\"v\":2}"));
            o.acknowledge(inFlight);
            assertEquals(List.of("windows/1 {\"v\":2}"), texts(o.peek(10)));
        }
    }

    @Test
    void whenFullStatsGoFirstThenStateThenRepliesAndEventsBecomeAGap() {
        long one = Outbox.size(ROOT + "events/ticket.issued", "{\"seq\":10}".getBytes(UTF_8));
        try (Outbox o = open(Math.max(Outbox.MIN_QUOTA, one * 12))) {
            o.add(stats("{\"n\":1}"));
            o.add(state("windows/1", "{\"w\":1}"));
            o.add(OutboxMessage.of(Kind.REPLY, ROOT + "replies/c1", "{\"ok\":true}".getBytes(UTF_8), false, 0));
            long seq = 10;
            while (o.dropped() == 0) {
                o.add(event(seq++));
            }
            List<String> after1 = texts(o.peek(100));
            assertTrue(after1.stream().noneMatch(t -> t.startsWith("stats/")), "stats dropped first: " + after1);
            assertTrue(after1.contains("windows/1 {\"w\":1}"), "state kept while stats could go");
            while (o.dropped() < 3) {
                o.add(event(seq++));
            }
            List<String> after3 = texts(o.peek(100));
            assertTrue(after3.stream().allMatch(t -> t.startsWith("events/ticket.issued")), "then state, then the reply: " + after3);
            assertEquals("events/ticket.issued {\"seq\":10}", after3.get(0), "no event lost yet");
            long last = seq + 5;
            while (seq <= last) {
                o.add(event(seq++));
            }
            List<OutboxMessage> ms = o.peek(100);
            OutboxMessage gap = ms.get(0);
            assertEquals(Kind.GAP, gap.kind(), "the gap takes the place of the lost events");
            assertEquals(ROOT + "events/gap", gap.topic());
            assertEquals(10, gap.seq());
            long firstKept = ms.get(1).seq();
            assertEquals(firstKept - 1, gap.seqTo(), "the gap names exactly the lost range");
            for (int i = 1; i < ms.size(); i++) {
                assertEquals(firstKept + i - 1, ms.get(i).seq(), "the newest events are all kept, in order");
            }
            assertEquals(last, ms.get(ms.size() - 1).seq());
            var node = Json.read(gap.payload());
            Schemas.assertValid("gap.json", node);
            assertEquals(10, node.get("fromSeq").longValue());
            assertEquals(firstKept - 1, node.get("toSeq").longValue());
            assertTrue(o.bytes() <= o.quota(), "within the quota: " + o.bytes());
        }
        try (Outbox o = open(Math.max(Outbox.MIN_QUOTA, one * 12))) {
            assertEquals(Kind.GAP, o.peek(1).get(0).kind(), "the gap is durable too");
        }
    }

    @Test
    void aGapThatWasPublishedIsNotExtendedByLaterLosses() {
        try (Outbox o = open(Outbox.MIN_QUOTA)) {
            long seq = 1;
            while (o.dropped() == 0) {
                o.add(event(seq++));
            }
            OutboxMessage gap = o.peek(1).get(0);
            assertEquals(Kind.GAP, gap.kind());
            o.acknowledge(gap.id());
            long lostBefore = gap.seqTo();
            long dropped = o.dropped();
            while (o.dropped() == dropped) {
                o.add(event(seq++));
            }
            OutboxMessage second = o.peek(1).get(0);
            assertEquals(Kind.GAP, second.kind());
            assertEquals(lostBefore + 1, second.seq(), "a new gap starts after the published one");
        }
    }

    @Test
    void aMessageLargerThanTheQuotaIsRefused() {
        try (Outbox o = open(Outbox.MIN_QUOTA)) {
            assertThrows(IllegalArgumentException.class,
                    () -> o.add(OutboxMessage.of(Kind.EVENT, ROOT + "events/x", new byte[2000], false, 1)));
            assertEquals(0, o.size());
        }
        assertThrows(IllegalArgumentException.class, () -> open(100));
    }

    @Test
    void oneOutboxPerFile() {
        try (Outbox o = open(Outbox.DEFAULT_QUOTA)) {
            OutboxException e = assertThrows(OutboxException.class, () -> open(Outbox.DEFAULT_QUOTA));
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
        }
        try (Outbox o = open(Outbox.DEFAULT_QUOTA)) {
            assertEquals(0, o.size(), "closing released the file");
        }
    }

    @Test
    void aForeignDatabaseIsRefusedUntouched() throws Exception {
        Path other = tmp.resolve("other.db");
        org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + other);
        try (var c = ds.getConnection(); var s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE t (x INTEGER)");
        }
        byte[] before = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(other));
        OutboxException e = assertThrows(OutboxException.class,
                () -> Outbox.open(other, Outbox.DEFAULT_QUOTA, "g", (a, b) -> new byte[0]));
        assertTrue(e.getMessage().contains("not an OpenHall outbox"), e.getMessage());
        assertArrayEquals(before, MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(other)));
    }

    @Test
    void eventsNeedASeqAndGapsAreMadeOnlyByTheOutbox() {
        assertThrows(IllegalArgumentException.class, () -> OutboxMessage.of(Kind.EVENT, "t", new byte[0], false, 0));
        assertThrows(IllegalArgumentException.class, () -> OutboxMessage.of(Kind.GAP, "t", new byte[0], false, 1));
    }
}
