package org.openhall.api.runtime;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Registered as a service once every required component of the hall is active, at the moment the
 * runtime logs {@code OpenHall READY in N ms}. Components that must only start working when the
 * whole hall is up (for example a kiosk that should not hand out tickets before the queue and the
 * printer are there) can reference it.
 *
 * <p>A component is <em>required</em> when it declares the component property
 * {@value #REQUIRED_PROPERTY}{@code =true}, for example
 * {@code @Component(property = HallReady.REQUIRED_PROPERTY + ":Boolean=true")}. Device drivers
 * must not declare it: a broken device never keeps the hall from becoming ready (rule R5).
 */
@ProviderType
public interface HallReady {

    /** Component property that marks a component the hall cannot run without. */
    String REQUIRED_PROPERTY = "openhall.required";

    /** Milliseconds from the start of the JVM to readiness. */
    long startupMillis();
}
