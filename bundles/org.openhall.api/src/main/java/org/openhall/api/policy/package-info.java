/**
 * Decision points where policy bundles plug into the queue core. The core works with none
 * installed; when several services answer the same decision, the one with the highest service
 * ranking decides (ties: the lowest service id).
 */
@Export
@Version("1.0.0")
package org.openhall.api.policy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
