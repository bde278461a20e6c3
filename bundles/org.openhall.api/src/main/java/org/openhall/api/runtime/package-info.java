/**
 * The hall runtime as seen by other bundles: where the hall's home directory is,
 * when the hall is ready, and whether its parts are healthy ({@link org.openhall.api.runtime.HealthCheck}, 1.1).
 */
@Export
@Version("1.1.0")
package org.openhall.api.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
