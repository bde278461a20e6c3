package org.openhall.device.display.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.WindowState;
import org.openhall.api.queue.WindowView;

/** The text for each window state, from the default texts. */
class PlannerTest {

    static WindowView w(WindowState state, String ticket, PauseKind pause) {
        return new WindowView("3", "3号窗口", state, List.of("B"), false, ticket, "1001", "张三", pause, null, Instant.now());
    }

    static Content c(WindowView v, boolean blink) {
        return Planner.content(v, Texts.defaults(), blink);
    }

    @Test
    void everyStateHasItsText() {
        assertEquals(new Content("请A012号", true), c(w(WindowState.CALLING, "A012", null), true));
        assertEquals(new Content("请A012号", false), c(w(WindowState.CALLING, "A012", null), false));
        assertEquals(new Content("正在办理 A012号", false), c(w(WindowState.SERVING, "A012", null), true));
        assertEquals(new Content("3号窗口 张三 1001", false), c(w(WindowState.IDLE, null, null), true));
        assertEquals(new Content("对不起,请稍候", false), c(w(WindowState.PAUSED, "A012", PauseKind.BRIEF), false));
        assertEquals(new Content("此窗口暂停服务", false), c(w(WindowState.PAUSED, null, PauseKind.SUSPENDED), false));
        assertEquals(new Content("此窗口已关闭", false), c(new WindowView("3", "3号窗口", WindowState.CLOSED, List.of("B"),
                false, null, null, null, null, null, Instant.now()), false));
        assertEquals(new Content("此窗口已关闭", false), c(null, false), "a window that is not configured");
    }

    @Test
    void aWindowWithoutANameIsCalledByItsNumber() {
        WindowView v = new WindowView("7", null, WindowState.IDLE, List.of("B"), false, null, "1002", "李四", null, null,
                Instant.now());
        assertEquals("7号窗口 李四 1002", c(v, false).text());
    }
}
