package org.openhall.api.queue;

/**
 * A category's queue as screens show it (R14).
 *
 * @param id                   its prefix letter, e.g. {@code A}
 * @param name                 display name from the configuration
 * @param waiting              tickets waiting, priority ones included
 * @param priorityWaiting      green-channel and appointment tickets waiting
 * @param lastCalled           number of the last ticket called, else null
 * @param estimatedWaitSeconds for a ticket issued now; -1 when no window serving it is open
 * @param openWindows          open windows serving it (paused ones excluded)
 */
public record CategoryView(String id, String name, int waiting, int priorityWaiting, String lastCalled,
        long estimatedWaitSeconds, int openWindows) {
}
