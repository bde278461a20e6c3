package org.openhall.queue.core.domain;

/**
 * A staff member who may sign in at a window (R17).
 *
 * @param id             staff number, shown on displays (R12)
 * @param name           name, shown on displays (R12)
 * @param credentialHash the PIN or password, hashed (never stored in clear), as written by
 *                       {@link org.openhall.api.config.Credentials#hash(String)}
 */
public record StaffConfig(String id, String name, String credentialHash) {
}
