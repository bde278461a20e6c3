package org.openhall.device.serial.internal;

import java.util.List;
import java.util.Optional;

import org.openhall.device.serial.LinkSpec;

/**
 * Finds a USB serial adapter by its identity among the ports the system lists now. Kept apart from
 * jSerialComm so the rule can be tested without hardware: an adapter that is re-plugged and comes
 * back under another /dev/ttyUSBn is found again by vendor, product and serial number.
 */
final class UsbPorts {

    /** What the system says about one port. */
    record Port(String path, int vendorId, int productId, String serialNumber) {
    }

    private UsbPorts() {
    }

    /**
     * @return the path of the first port with the spec's vendor and product id and, when the spec
     *         names one, its serial number; empty when no such adapter is plugged in
     */
    static Optional<String> find(LinkSpec spec, List<Port> ports) {
        return ports.stream()
                .filter(p -> p.vendorId() == spec.vendorId() && p.productId() == spec.productId())
                .filter(p -> spec.serialNumber() == null || spec.serialNumber().equals(p.serialNumber()))
                .map(Port::path)
                .findFirst();
    }
}
