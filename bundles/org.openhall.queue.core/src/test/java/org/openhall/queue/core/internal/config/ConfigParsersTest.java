package org.openhall.queue.core.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openhall.api.config.ConfigProblem;
import org.openhall.queue.core.domain.OpeningHours;
import org.openhall.queue.core.domain.WindowConfig;
import org.openhall.queue.core.internal.config.ConfigParsers.HallSettings;

class ConfigParsersTest {

    static Map<String, Object> props(String... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    static ConfigProblem problem(PartComponent.Parser parser, Map<String, Object> p) {
        return assertThrows(ConfigProblem.class, () -> parser.parse(p));
    }

    @Test
    void hallWithHoursHolidaysAndDefaults() throws ConfigProblem {
        HallSettings h = ConfigParsers.hall(props("hall.id", "demo", "hall.name", "示范大厅",
                "hours.monday", "9:00-12:00, 13:30-17:30", "hours.saturday", "", "holidays", "2026-10-01,2026-10-02"));
        assertEquals("demo", h.hallId());
        assertEquals("示范大厅", h.hallName());
        assertEquals("Asia/Shanghai", h.zone().getId());
        assertEquals(List.of(new OpeningHours(LocalTime.of(9, 0), LocalTime.of(12, 0)),
                new OpeningHours(LocalTime.of(13, 30), LocalTime.of(17, 30))), h.hours().get(DayOfWeek.MONDAY));
        assertFalse(h.hours().containsKey(DayOfWeek.SATURDAY), "empty hours mean closed");
        assertTrue(h.holidays().contains(LocalDate.of(2026, 10, 2)));
        assertEquals(3, h.settings().maxConsecutivePriorityCalls());
        assertEquals(Duration.ofMinutes(30), h.settings().maxNormalWait());
    }

    @Test
    void periodsPastMidnightAndAroundTheClock() throws ConfigProblem {
        HallSettings h = ConfigParsers.hall(props("hall.id", "d", "hall.name", "x",
                "hours.friday", "18:00-02:00", "hours.saturday", "00:00-00:00"));
        assertEquals(List.of(new OpeningHours(LocalTime.of(18, 0), LocalTime.of(2, 0))), h.hours().get(DayOfWeek.FRIDAY));
        assertEquals(List.of(new OpeningHours(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT)), h.hours().get(DayOfWeek.SATURDAY));
    }

    @Test
    void typedValuesFromConfigFilesAreAccepted() throws ConfigProblem {
        Map<String, Object> p = props("hall.id", "demo", "hall.name", "x");
        p.put("retention.days", 30);
        p.put("holidays", new String[] { "2026-01-01" });
        HallSettings h = ConfigParsers.hall(p);
        assertEquals(30, h.settings().retentionDays());
        assertEquals(1, h.holidays().size());
    }

    @Test
    void eachBadValueNamesItsKeyAndReason() {
        assertEquals("hall.id", problem(ConfigParsers::hall, props("hall.name", "x")).key());
        assertEquals("hall.id", problem(ConfigParsers::hall, props("hall.id", "Demo Hall", "hall.name", "x")).key());
        ConfigProblem hours = problem(ConfigParsers::hall,
                props("hall.id", "d", "hall.name", "x", "hours.friday", "09:00-12:00,11:00-17:00"));
        assertEquals("hours.friday", hours.key());
        assertTrue(hours.reason().contains("overlaps"), hours.reason());
        assertEquals("hours.sunday", problem(ConfigParsers::hall,
                props("hall.id", "d", "hall.name", "x", "hours.sunday", "00:00-00:00,09:00-10:00")).key());
        assertEquals("hours.monday", problem(ConfigParsers::hall,
                props("hall.id", "d", "hall.name", "x", "hours.monday", "9-12")).key());
        assertEquals("holidays", problem(ConfigParsers::hall,
                props("hall.id", "d", "hall.name", "x", "holidays", "2026-13-01")).key());
        ConfigProblem range = problem(ConfigParsers::hall,
                props("hall.id", "d", "hall.name", "x", "retention.days", "0"));
        assertEquals("retention.days", range.key());
        assertEquals("fairness.maxConsecutivePriorityCalls", problem(ConfigParsers::hall,
                props("hall.id", "d", "hall.name", "x", "fairness.maxConsecutivePriorityCalls", "three")).key());
        assertEquals("hall.zone", problem(ConfigParsers::hall,
                props("hall.id", "d", "hall.name", "x", "hall.zone", "Mars/Olympus")).key());
    }

    @Test
    void categoriesAreOneLetter() throws ConfigProblem {
        assertEquals("A", ConfigParsers.category(props("id", "A", "name", "社保")).id());
        assertEquals("id", problem(ConfigParsers::category, props("id", "AB", "name", "x")).key());
        assertEquals("name", problem(ConfigParsers::category, props("id", "B")).key());
    }

    @Test
    void aCategoryHasThreeDigitNumbersUnlessItSaysFour() throws ConfigProblem {
        assertEquals(3, ConfigParsers.category(props("id", "A", "name", "社保")).numberDigits());
        assertEquals(999, ConfigParsers.category(props("id", "A", "name", "社保")).maxNumber());
        assertEquals(4, ConfigParsers.category(props("id", "A", "name", "社保", "numberDigits", "4")).numberDigits());
        assertEquals(9999, ConfigParsers.category(props("id", "A", "name", "社保", "numberDigits", "4")).maxNumber());
        assertEquals(3, ConfigParsers.category(props("id", "A", "name", "社保", "numberDigits", "3")).numberDigits());
        for (String bad : new String[] {"2", "5", "four"}) {
            assertEquals("numberDigits", problem(ConfigParsers::category,
                    props("id", "A", "name", "社保", "numberDigits", bad)).key(), bad);
        }
    }

    @Test
    void serviceItemsHaveALimitAndAChecklist() throws ConfigProblem {
        var item = ConfigParsers.serviceItem(props("id", "A01", "category", "A", "name", "养老保险关系转移",
                "timeLimitMinutes", "15", "materials", "身份证原件, 社保卡 ,转移申请表"));
        assertEquals("A", item.categoryId());
        assertEquals(Duration.ofMinutes(15), item.item().timeLimit());
        assertEquals(List.of("身份证原件", "社保卡", "转移申请表"), item.item().materials());
        assertEquals("materials", problem(ConfigParsers::serviceItem,
                props("id", "A01", "category", "A", "name", "x", "materials", "a,b,a")).key());
        assertEquals("category", problem(ConfigParsers::serviceItem, props("id", "A01", "name", "x")).key());
    }

    @Test
    void windowsServeCategories() throws ConfigProblem {
        WindowConfig w = ConfigParsers.window(props("id", "3", "categories", "A,B", "standby", "true"));
        assertEquals("3号窗口", w.name());
        assertEquals(List.of("A", "B"), w.categories());
        assertTrue(w.standby());
        assertEquals("categories", problem(ConfigParsers::window, props("id", "3")).key());
        assertEquals("categories", problem(ConfigParsers::window, props("id", "3", "categories", "A,a")).key());
        assertEquals("standby", problem(ConfigParsers::window, props("id", "3", "categories", "A", "standby", "yes")).key());
    }

    @Test
    void staffCredentialsMustBeHashedAndAreNeverEchoed() throws ConfigProblem {
        String hash = "pbkdf2-sha256$120000$c2FsdA==$aGFzaA==";
        assertEquals(hash, ConfigParsers.staff(props("id", "1001", "name", "王芳", "credential", hash)).credentialHash());
        ConfigProblem clear = problem(ConfigParsers::staff, props("id", "1001", "name", "王芳", "credential", "123456"));
        assertEquals("credential", clear.key());
        assertFalse(clear.reason().contains("123456"), "the PIN must not reach the log: " + clear.reason());
    }
}
