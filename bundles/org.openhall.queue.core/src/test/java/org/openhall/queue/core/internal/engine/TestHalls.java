package org.openhall.queue.core.internal.engine;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.openhall.api.config.Credentials;
import org.openhall.queue.core.domain.CategoryConfig;
import org.openhall.queue.core.domain.HallConfig;
import org.openhall.queue.core.domain.OpeningHours;
import org.openhall.queue.core.domain.QueueSettings;
import org.openhall.queue.core.domain.ServiceItemConfig;
import org.openhall.queue.core.domain.StaffConfig;
import org.openhall.queue.core.domain.WindowConfig;

/** Hall configurations for the engine's tests, crash test and benchmark. */
final class TestHalls {

    static final String PIN = "1234";
    /** Hashing is slow on purpose; one hash serves every test staff member. */
    static final String PIN_HASH = Credentials.hash(PIN);

    private TestHalls() {
    }

    /** Categories A and B, {@code windows} windows serving both, one staff member per window (s1, s2, …). */
    static HallConfig hall(int windows) {
        return hall(windows, QueueSettings.DEFAULTS);
    }

    static HallConfig hall(int windows, QueueSettings settings) {
        Map<DayOfWeek, List<OpeningHours>> hours = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            hours.put(d, List.of(new OpeningHours(LocalTime.MIN, LocalTime.MAX)));
        }
        List<WindowConfig> ws = new ArrayList<>();
        List<StaffConfig> staff = new ArrayList<>();
        for (int i = 1; i <= windows; i++) {
            ws.add(new WindowConfig(String.valueOf(i), i + "号窗口", List.of("A", "B"), false));
            staff.add(new StaffConfig("s" + i, "员工" + i, PIN_HASH));
        }
        return new HallConfig("test", "测试大厅", ZoneId.of("Asia/Shanghai"), hours, Set.of(),
                List.of(new CategoryConfig("A", "社保", List.of(new ServiceItemConfig("A01", "转移", Duration.ofMinutes(15), List.of("身份证")))),
                        new CategoryConfig("B", "不动产", List.of())),
                ws, staff, settings);
    }
}
