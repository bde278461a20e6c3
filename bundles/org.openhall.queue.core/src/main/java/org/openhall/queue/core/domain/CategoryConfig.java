package org.openhall.queue.core.domain;

import java.util.List;

/**
 * A category (业务类别): one queue.
 *
 * @param id           one upper-case letter A–Z: the prefix of its ticket numbers
 * @param name         display name, e.g. 社保业务
 * @param serviceItems its service items (事项)
 */
public record CategoryConfig(String id, String name, List<ServiceItemConfig> serviceItems) {

    public CategoryConfig {
        serviceItems = List.copyOf(serviceItems);
    }
}
