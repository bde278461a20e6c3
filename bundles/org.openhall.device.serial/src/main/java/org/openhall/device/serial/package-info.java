/**
 * The transport every device driver uses: serial ports (by path or by USB identity, through
 * jSerialComm) and raw TCP (serial-to-Ethernet converters, network printers on port 9100) behind
 * one interface. A {@link org.openhall.device.serial.DeviceLink} owns its port alone, reconnects
 * with backoff when the port disappears or fails, and serializes the requests of every device
 * attached to it (RS-485 bus sharing) with a per-request timeout and retries. Answers are fixed-length
 * or, since 1.1, frames of variable length found by a {@link org.openhall.device.serial.FrameReader}.
 * See docs/devices.md.
 */
@Export
@Version("1.1.0")
package org.openhall.device.serial;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
