package org.openhall.queue.core.domain;

import java.util.List;

/**
 * A window (窗口).
 *
 * @param id         its number as displayed, e.g. "3"
 * @param name       display name, e.g. 3号窗口
 * @param categories categories it serves; order is its preference when equal
 * @param standby    a tidal (潮汐) window, opened when a queue is long (R2)
 */
public record WindowConfig(String id, String name, List<String> categories, boolean standby) {

    public WindowConfig {
        categories = List.copyOf(categories);
    }
}
