/**
 * The hall runtime as seen by other bundles: where the hall's home directory is
 * and when the hall is ready.
 */
@Export
@Version("1.0.0")
package org.openhall.api.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
