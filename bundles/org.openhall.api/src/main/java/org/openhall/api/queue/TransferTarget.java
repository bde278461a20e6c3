package org.openhall.api.queue;

/**
 * Where a transferred ticket goes (R9): a category, and optionally one window of it. The ticket
 * keeps its number and its place in time.
 *
 * @param categoryId the category it waits in next
 * @param windowId   a window that should call it, or null for any window serving the category
 */
public record TransferTarget(String categoryId, String windowId) {
}
