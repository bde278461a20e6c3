package org.openhall.queue.core.domain;

import java.time.Duration;
import java.util.List;

/**
 * A service item (事项) of a category.
 *
 * @param id        unique in the hall
 * @param name      display name
 * @param timeLimit committed handling time (R6)
 * @param materials the checklist of materials (R8), in order
 */
public record ServiceItemConfig(String id, String name, Duration timeLimit, List<String> materials) {

    public ServiceItemConfig {
        materials = List.copyOf(materials);
    }
}
