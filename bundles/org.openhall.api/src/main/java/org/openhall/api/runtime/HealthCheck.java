package org.openhall.api.runtime;

import java.time.Duration;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A part of the hall that can say whether it works, registered as a service by that part with the
 * service property {@value #NAME_PROPERTY} (for example {@code queue}). Watchers call it: the
 * systemd watchdog feeds systemd only while every check is healthy, so that a hung hall is
 * restarted.
 *
 * <p>A check must answer within the bound it is given, whatever state the part is in: a part
 * that hangs is exactly what it has to report, not suffer from.
 *
 * @since 1.1
 */
@ConsumerType
public interface HealthCheck {

    /** Service property: the name of the part that is checked, e.g. {@code queue}. */
    String NAME_PROPERTY = "openhall.health.name";

    /**
     * Checks the part now.
     *
     * @param bound how long the part may take to answer; a part that does not answer in time
     *              is unhealthy
     * @return the result, within about {@code bound}; never {@code null}
     */
    Health check(Duration bound);
}
