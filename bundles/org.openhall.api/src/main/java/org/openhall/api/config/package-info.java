/**
 * Reading configuration files (Config Admin properties from {@code etc/}) the same way in every
 * bundle: typed values out of {@code .cfg} strings or {@code .config} types, and a
 * {@link org.openhall.api.config.ConfigProblem} that names the key and the reason, so that a bad
 * file is always reported as file, key and reason.
 */
@Export
@Version("1.2.0")
package org.openhall.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
