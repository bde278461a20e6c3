package org.openhall.device.printer.internal;

import org.openhall.api.device.DeviceStatus;

/**
 * What the four DLE EOT status bytes say, reduced to a status and a detail code, worst cause first.
 *
 * <p>Bits used (ESC/POS DLE EOT): n=1 bit 3 offline; n=2 bit 2 cover open, bit 5 stopped at paper
 * end, bit 6 error; n=3 bit 3 auto-cutter error, bit 5 unrecoverable error, bit 6 auto-recoverable
 * error; n=4 bits 2-3 paper near end, bits 5-6 paper out.
 */
record PrinterState(DeviceStatus status, String detail) {

    static final String PAPER_OUT = "PAPER_OUT";
    static final String PAPER_NEAR_END = "PAPER_NEAR_END";
    static final String COVER_OPEN = "COVER_OPEN";
    static final String CUTTER_ERROR = "CUTTER_ERROR";
    static final String PRINTER_ERROR = "PRINTER_ERROR";
    static final String PRINTER_OFFLINE = "PRINTER_OFFLINE";
    static final String NO_ANSWER = "NO_ANSWER";
    static final String NO_PORT = "NO_PORT";
    static final String NONE = "NONE";

    static PrinterState decode(int printer, int offline, int error, int paper) {
        if ((paper & 0x60) != 0 || (offline & 0x20) != 0) {
            return new PrinterState(DeviceStatus.FAULT, PAPER_OUT);
        }
        if ((offline & 0x04) != 0) {
            return new PrinterState(DeviceStatus.FAULT, COVER_OPEN);
        }
        if ((error & 0x08) != 0) {
            return new PrinterState(DeviceStatus.FAULT, CUTTER_ERROR);
        }
        if ((error & 0x60) != 0 || (offline & 0x40) != 0) {
            return new PrinterState(DeviceStatus.FAULT, PRINTER_ERROR);
        }
        if ((printer & 0x08) != 0) {
            return new PrinterState(DeviceStatus.OFFLINE, PRINTER_OFFLINE);
        }
        if ((paper & 0x0C) != 0) {
            return new PrinterState(DeviceStatus.ONLINE, PAPER_NEAR_END);
        }
        return new PrinterState(DeviceStatus.ONLINE, NONE);
    }
}
