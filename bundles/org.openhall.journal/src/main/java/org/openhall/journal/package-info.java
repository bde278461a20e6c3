/**
 * A crash-safe, append-only journal on SQLite, shared by the bundles that must not lose what they
 * acknowledged (the queue core's operations, the MQTT bridge's outbox).
 */
@Export
@Version("1.0.0")
package org.openhall.journal;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
