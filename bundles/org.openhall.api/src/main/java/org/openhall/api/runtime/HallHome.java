package org.openhall.api.runtime;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The hall's home directory, registered as a service by the runtime once its folders exist.
 *
 * <p>The home is chosen by the system property {@value #HOME_PROPERTY}, else the environment
 * variable {@value #HOME_ENV}, else the current directory. Bundles that keep files (the
 * queue journal, outboxes) put them under {@link #data()}; they never invent paths of their own.
 */
@ProviderType
public interface HallHome {

    /** System property that names the home directory. */
    String HOME_PROPERTY = "openhall.home";

    /** Environment variable that names the home directory when the property is absent. */
    String HOME_ENV = "OPENHALL_HOME";

    /** The home directory itself, absolute and normalized. */
    Path home();

    /** {@code etc/}: configuration files, read by FileInstall into Config Admin. */
    Path etc();

    /** {@code deploy/}: bundle jars and configuration files dropped in while the hall runs. */
    Path deploy();

    /** {@code data/}: databases, logs and other state the hall writes. */
    Path data();
}
