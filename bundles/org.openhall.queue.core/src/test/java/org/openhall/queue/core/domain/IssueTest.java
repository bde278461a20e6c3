package org.openhall.queue.core.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.openhall.api.queue.Appointment;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.ManualCase;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.QueueError;
import org.openhall.api.queue.TicketState;
import org.openhall.api.queue.TicketView;

/** Issuing, numbering, check-in (R10) and opening hours (R13). */
class IssueTest {

    @Test
    void numbersArePerCategoryWithThreeDigits() {
        TestHall h = new TestHall();
        assertEquals("A001", h.issue("A").ticket().number());
        assertEquals("A002", h.issue("A").ticket().number());
        assertEquals("B001", h.issue("B").ticket().number());
        assertEquals("A003", h.issue("A", PriorityClass.GREEN_CHANNEL).ticket().number());
        IssuedTicket c = h.issueItem("C", null);
        assertEquals("C001", c.ticket().number());
        TicketView t = h.ticket("A001");
        assertEquals(TicketState.WAITING, t.state());
        assertEquals("A", t.categoryId());
        assertEquals(h.now, t.issuedAt());
        assertEquals(0, t.calls());
        assertNull(t.windowId());
        assertFalse(t.manual());
    }

    @Test
    void serviceItemIsKeptAndChecked() {
        TestHall h = new TestHall();
        assertEquals("A01", h.issueItem("A", "A01").ticket().serviceItemId());
        h.err(ErrorCode.UNKNOWN_SERVICE_ITEM, new Command.IssueTicket(TestHall.KIOSK, "A", PriorityClass.NORMAL, "B01"));
        h.err(ErrorCode.UNKNOWN_SERVICE_ITEM, new Command.IssueTicket(TestHall.KIOSK, "A", PriorityClass.NORMAL, "Z9"));
    }

    @Test
    void badArgumentsAreRefusedAndChangeNothing() {
        TestHall h = new TestHall();
        h.err(ErrorCode.UNKNOWN_CATEGORY, new Command.IssueTicket(TestHall.KIOSK, "Z", PriorityClass.NORMAL, null));
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.IssueTicket(TestHall.KIOSK, null, PriorityClass.NORMAL, null));
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.IssueTicket(TestHall.KIOSK, " ", PriorityClass.NORMAL, null));
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.IssueTicket(TestHall.KIOSK, "A", null, null));
        assertEquals("A001", h.issue("A").ticket().number(), "refusals consume no number");
    }

    @Test
    void the1000thTicketOfACategoryIsRefusedAndNumbersAreNeverReused() {
        TestHall h = new TestHall();
        Set<String> numbers = new HashSet<>();
        for (int i = 1; i <= 999; i++) {
            assertTrue(numbers.add(h.issue("A").ticket().number()));
        }
        assertTrue(numbers.contains("A999"));
        h.err(ErrorCode.HALL_CLOSED, new Command.IssueTicket(TestHall.KIOSK, "A", PriorityClass.NORMAL, null));
        h.err(ErrorCode.HALL_CLOSED, new Command.RecordManualCase(TestHall.staffActor("1"),
                new ManualCase("A", null, "1", "1001", h.now, h.now, h.now, Finish.done())));
        assertEquals("B001", h.issue("B").ticket().number(), "other categories go on");
        h.startDay(TestHall.DAY.plusDays(1));
        assertEquals("A001", h.issue("A").ticket().number(), "a new day starts again");
    }

    /** The test hall's configuration with category A's numbers of {@code digits} digits. */
    static HallConfig withDigitsOfA(HallConfig c, int digits) {
        List<CategoryConfig> categories = c.categories().stream()
                .map(k -> k.id().equals("A") ? new CategoryConfig(k.id(), k.name(), k.serviceItems(), digits) : k)
                .toList();
        return new HallConfig(c.hallId(), c.hallName(), c.zone(), c.hours(), c.holidays(), categories, c.windows(),
                c.staff(), c.settings());
    }

    @Test
    void aCategoryWithFourDigitsIssues9999TicketsADayAndOthersKeepThree() {
        TestHall h = new TestHall(withDigitsOfA(TestHall.config(QueueSettings.DEFAULTS), 4));
        assertEquals("A0001", h.issue("A").ticket().number());
        assertEquals("B001", h.issue("B").ticket().number(), "a category without the key keeps three digits");
        Set<String> numbers = new HashSet<>(Set.of("A0001"));
        for (int i = 2; i <= 9999; i++) {
            assertTrue(numbers.add(h.issue("A").ticket().number()));
        }
        assertTrue(numbers.contains("A0999") && numbers.contains("A1000") && numbers.contains("A9999"));
        QueueError e = h.err(ErrorCode.HALL_CLOSED,
                new Command.IssueTicket(TestHall.KIOSK, "A", PriorityClass.NORMAL, null));
        assertTrue(e.message().contains("9999"), e.message());
        // Rebuilt from its snapshot (a restart), the category still knows its last number.
        HallState rebuilt = StateCodec.decode(StateCodec.encode(h.state), h.state.config());
        assertNull(rebuilt.nextNumber(h.state.config().categories().get(0)));
    }

    @Test
    void switchedToFourDigitsDuringTheDayACategoryGoesOnAfterA999() {
        TestHall h = new TestHall();
        for (int i = 1; i <= 999; i++) {
            h.issue("A");
        }
        h.err(ErrorCode.HALL_CLOSED, new Command.IssueTicket(TestHall.KIOSK, "A", PriorityClass.NORMAL, null));
        h.state.reconfigure(withDigitsOfA(h.state.config(), 4));
        assertEquals("A1000", h.issue("A").ticket().number(), "numbers are never reused within a day");
        // A snapshot taken now and the events replayed both know A1000 was the last one.
        HallState rebuilt = StateCodec.decode(StateCodec.encode(h.state), h.state.config());
        assertEquals("A1001", rebuilt.nextNumber(h.state.config().categories().get(0)));
        HallState replayed = new HallState(h.state.config(), TestHall.DAY);
        replayed.applyAll(h.events);
        assertEquals("A1001", replayed.nextNumber(h.state.config().categories().get(0)));
        // Back to three digits, A is past its last three-digit number: nothing more today.
        h.state.reconfigure(withDigitsOfA(h.state.config(), 3));
        h.err(ErrorCode.HALL_CLOSED, new Command.IssueTicket(TestHall.KIOSK, "A", PriorityClass.NORMAL, null));
        h.startDay(TestHall.DAY.plusDays(1));
        assertEquals("A001", h.issue("A").ticket().number());
    }

    @Test
    void digitsOtherThanThreeOrFourAreRefused() {
        for (int bad : new int[] {2, 5}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new CategoryConfig("A", "x", List.of(), bad));
            assertTrue(e.getMessage().contains("numberDigits"), e.getMessage());
        }
    }

    @Test
    void manualCasesTakeTheNextNumber() {
        TestHall h = new TestHall();
        h.issue("A");
        TicketView m = h.manual(new ManualCase("A", null, "1", "1001", h.now.minusSeconds(100),
                h.now.minusSeconds(50), h.now, Finish.done()));
        assertEquals("A002", m.number());
        assertTrue(m.manual());
        assertEquals(TicketState.FINISHED, m.state());
        assertEquals("1", m.responsibleWindowId());
        assertEquals("A003", h.issue("A").ticket().number());
    }

    @Test
    void appointmentPriorityMayBeIssuedDirectly() {
        TestHall h = new TestHall();
        assertEquals(PriorityClass.APPOINTMENT, h.issue("A", PriorityClass.APPOINTMENT).ticket().priority());
    }

    @Test
    void checkInWithinTheSlotGivesAnAppointmentTicket() {
        TestHall h = new TestHall();
        Instant slot = h.now.plus(Duration.ofMinutes(15));
        // exactly 15 minutes early: still an appointment (R10)
        IssuedTicket a = h.checkIn("BOOK-1", "A", slot, slot.plus(Duration.ofMinutes(30)));
        assertEquals(PriorityClass.APPOINTMENT, a.ticket().priority());
        // inside the slot
        h.now = slot.plusSeconds(60);
        assertEquals(PriorityClass.APPOINTMENT, h.checkIn("BOOK-2", "A", slot, slot.plus(Duration.ofMinutes(30)))
                .ticket().priority());
        // at the very end of the slot
        h.now = slot.plus(Duration.ofMinutes(30));
        assertEquals(PriorityClass.APPOINTMENT, h.checkIn("BOOK-3", "A", slot, slot.plus(Duration.ofMinutes(30)))
                .ticket().priority());
    }

    @Test
    void lateAndVeryEarlyArrivalsBecomeOrdinaryTickets() {
        TestHall h = new TestHall();
        Instant slot = h.now.plus(Duration.ofMinutes(16));
        assertEquals(PriorityClass.NORMAL,
                h.checkIn("EARLY", "A", slot, slot.plus(Duration.ofMinutes(30))).ticket().priority());
        Instant past = h.now.minus(Duration.ofMinutes(31));
        assertEquals(PriorityClass.NORMAL,
                h.checkIn("LATE", "B", past, past.plus(Duration.ofMinutes(30))).ticket().priority());
        assertEquals("B001", h.ticket("B001").number());
    }

    @Test
    void checkInValidation() {
        TestHall h = new TestHall();
        Instant s = h.now;
        Instant e = s.plusSeconds(1800);
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.CheckIn(TestHall.KIOSK, null));
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.CheckIn(TestHall.KIOSK, new Appointment(" ", "A", s, e)));
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.CheckIn(TestHall.KIOSK, new Appointment("X", null, s, e)));
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.CheckIn(TestHall.KIOSK, new Appointment("X", "A", null, e)));
        h.err(ErrorCode.INVALID_ARGUMENT, new Command.CheckIn(TestHall.KIOSK, new Appointment("X", "A", e, s)));
        h.err(ErrorCode.UNKNOWN_CATEGORY, new Command.CheckIn(TestHall.KIOSK, new Appointment("X", "Q", s, e)));
        h.checkIn("X", "A", s, e);
        h.err(ErrorCode.ILLEGAL_STATE, new Command.CheckIn(TestHall.KIOSK, new Appointment("X", "A", s, e)));
        h.startDay(TestHall.DAY.plusDays(1));
        h.checkIn("X", "A", s, e); // a new day forgets the codes
    }

    @Test
    void openingHoursAndHolidays() {
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        Map<DayOfWeek, List<OpeningHours>> hours = new EnumMap<>(DayOfWeek.class);
        hours.put(DayOfWeek.MONDAY, List.of(new OpeningHours(LocalTime.of(9, 0), LocalTime.of(12, 0)),
                new OpeningHours(LocalTime.of(13, 30), LocalTime.of(17, 30))));
        hours.put(DayOfWeek.TUESDAY, List.of(new OpeningHours(LocalTime.of(22, 0), LocalTime.of(2, 0))));
        HallConfig base = TestHall.config(QueueSettings.DEFAULTS, shanghai, hours);
        HallConfig config = new HallConfig(base.hallId(), base.hallName(), base.zone(), base.hours(),
                Set.of(LocalDate.of(2026, 3, 9)), base.categories(), base.windows(), base.staff(), base.settings());
        TestHall h = new TestHall(config);
        Command issue = new Command.IssueTicket(TestHall.KIOSK, "A", PriorityClass.NORMAL, null);
        // Monday 2026-03-02, Shanghai = UTC+8
        h.now = Instant.parse("2026-03-02T00:59:59Z"); // 08:59:59
        h.err(ErrorCode.HALL_CLOSED, issue);
        h.now = Instant.parse("2026-03-02T01:00:00Z"); // 09:00
        h.ok(issue);
        h.now = Instant.parse("2026-03-02T04:00:00Z"); // 12:00: lunch break
        h.err(ErrorCode.HALL_CLOSED, issue);
        h.err(ErrorCode.HALL_CLOSED, new Command.CheckIn(TestHall.KIOSK,
                new Appointment("Q", "A", h.now, h.now.plusSeconds(60))));
        h.now = Instant.parse("2026-03-02T05:30:00Z"); // 13:30
        h.ok(issue);
        h.now = Instant.parse("2026-03-03T13:59:00Z"); // Tuesday 21:59
        h.err(ErrorCode.HALL_CLOSED, issue);
        h.now = Instant.parse("2026-03-03T15:00:00Z"); // Tuesday 23:00, a period past midnight
        h.ok(issue);
        h.now = Instant.parse("2026-03-03T17:00:00Z"); // Wednesday 01:00: the Tuesday period's tail
        assertTrue(h.state.isOpenForIssuing(h.now));
        assertFalse(h.state.isOpenForIssuing(Instant.parse("2026-03-03T18:00:00Z"))); // Wednesday 02:00
        assertFalse(h.state.isOpenForIssuing(Instant.parse("2026-03-02T17:00:00Z"))); // Tuesday 01:00
        h.now = Instant.parse("2026-03-08T02:00:00Z"); // Sunday 10:00: no hours
        h.err(ErrorCode.HALL_CLOSED, issue);
        h.now = Instant.parse("2026-03-09T02:00:00Z"); // Monday 10:00, but a holiday
        h.err(ErrorCode.HALL_CLOSED, issue);
        assertEquals(LocalDate.of(2026, 3, 9), h.state.businessDay(Instant.parse("2026-03-08T16:00:00Z")));
    }
}
