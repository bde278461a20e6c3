package org.openhall.device.serial.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.openhall.device.serial.LinkSpec;

class UsbPortsTest {

    static final UsbPorts.Port BUILTIN = new UsbPorts.Port("/dev/ttyS0", 0, 0, null);
    static final UsbPorts.Port FTDI_A = new UsbPorts.Port("/dev/ttyUSB0", 0x0403, 0x6001, "A1B2");
    static final UsbPorts.Port FTDI_B = new UsbPorts.Port("/dev/ttyUSB1", 0x0403, 0x6001, "C3D4");

    @Test
    void anAdapterIsFoundAgainUnderItsNewPathAfterBeingReplugged() {
        LinkSpec printer = LinkSpec.parse("usb:0403:6001:C3D4");
        assertEquals(Optional.of("/dev/ttyUSB1"), UsbPorts.find(printer, List.of(BUILTIN, FTDI_A, FTDI_B)));
        // Unplugged and plugged in again: the kernel gave it ttyUSB0 this time.
        UsbPorts.Port replugged = new UsbPorts.Port("/dev/ttyUSB0", 0x0403, 0x6001, "C3D4");
        assertEquals(Optional.of("/dev/ttyUSB0"), UsbPorts.find(printer, List.of(BUILTIN, replugged)));
    }

    @Test
    void theSerialNumberTellsTwoAdaptersOfTheSameModelApart() {
        assertEquals(Optional.of("/dev/ttyUSB0"),
                UsbPorts.find(LinkSpec.parse("usb:0403:6001:A1B2"), List.of(FTDI_B, FTDI_A)));
        assertEquals(Optional.of("/dev/ttyUSB1"),
                UsbPorts.find(LinkSpec.parse("usb:0403:6001"), List.of(BUILTIN, FTDI_B, FTDI_A)),
                "without a serial number the first adapter of the model is taken");
    }

    @Test
    void nothingIsFoundWhenTheAdapterIsNotPluggedIn() {
        assertEquals(Optional.empty(), UsbPorts.find(LinkSpec.parse("usb:0403:6001:A1B2"), List.of(BUILTIN, FTDI_B)));
        assertEquals(Optional.empty(), UsbPorts.find(LinkSpec.parse("usb:1a86:7523"), List.of(FTDI_A)));
    }
}
