/**
 * Devices of the hall as other bundles see them: the status model every device driver reports
 * (ONLINE / OFFLINE / FAULT with a detail code and a text), the Event Admin events that carry
 * status changes and notices for the hall screens, and the kiosk service that issues a ticket and
 * prints it (R5: a ticket is never reported as printed when the print failed).
 */
@Export
@Version("1.0.0")
package org.openhall.api.device;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
