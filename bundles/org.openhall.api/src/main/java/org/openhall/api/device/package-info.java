/**
 * Devices of the hall as other bundles see them: the {@link org.openhall.api.device.Device}
 * service every driver registers per configured device (id, kind, window, current state,
 * counters), the status model (ONLINE / OFFLINE / FAULT with a {@link org.openhall.api.device.DeviceDetail}
 * code and its Chinese text), the Event Admin events that carry status changes and notices for
 * the hall screens (made and read by {@link org.openhall.api.device.DeviceEvents}), and the kiosk
 * service that issues a ticket and prints it (R5: a ticket is never reported as printed when the
 * print failed). docs/devices.md, "Writing a driver", shows how they fit together.
 */
@Export
@Version("1.2.0")
package org.openhall.api.device;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
