package org.openhall.device.serial;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a device hangs and how its line is set up. Written in configuration as
 * <ul>
 * <li>{@code serial:/dev/ttyUSB0} (or just {@code /dev/ttyUSB0}): a port by its path (a symbolic
 * link such as {@code /dev/serial/by-id/…} works too);</li>
 * <li>{@code usb:0416:5011} or {@code usb:0416:5011:SERIALNO}: a USB-serial adapter by vendor id,
 * product id (hexadecimal) and optionally serial number, found again under whatever
 * {@code /dev/ttyUSBn} it comes back after a re-plug;</li>
 * <li>{@code tcp:192.168.1.50:9100}: a raw TCP stream.</li>
 * </ul>
 *
 * @param kind         which of the three
 * @param path         the port path for SERIAL
 * @param vendorId     USB vendor id for USB
 * @param productId    USB product id for USB
 * @param serialNumber USB serial number for USB, or null to accept any
 * @param host         host for TCP
 * @param port         TCP port for TCP
 * @param baud         serial speed, e.g. 9600
 * @param dataBits     5..8
 * @param stopBits     1 or 2
 * @param parity       N, E, O, M or S
 */
public record LinkSpec(Kind kind, String path, int vendorId, int productId, String serialNumber, String host, int port,
        int baud, int dataBits, int stopBits, char parity) {

    public enum Kind {
        SERIAL, USB, TCP
    }

    public LinkSpec {
        Objects.requireNonNull(kind, "kind");
        if (baud <= 0) {
            throw new IllegalArgumentException("baud must be positive");
        }
        if (dataBits < 5 || dataBits > 8) {
            throw new IllegalArgumentException("data bits must be 5..8");
        }
        if (stopBits != 1 && stopBits != 2) {
            throw new IllegalArgumentException("stop bits must be 1 or 2");
        }
        if ("NEOMS".indexOf(parity) < 0) {
            throw new IllegalArgumentException("parity must be one of N, E, O, M, S");
        }
    }

    /** Parses a link address with the line settings 9600 8N1. */
    public static LinkSpec parse(String address) {
        return parse(address, 9600, 8, 1, 'N');
    }

    /**
     * Parses a link address ({@code serial:…}, {@code usb:…}, {@code tcp:…} or a bare path).
     *
     * @throws IllegalArgumentException with the reason when it is malformed
     */
    public static LinkSpec parse(String address, int baud, int dataBits, int stopBits, char parity) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("the link address is empty");
        }
        String a = address.trim();
        char p = Character.toUpperCase(parity);
        if (a.startsWith("tcp:")) {
            String rest = a.substring(4);
            int colon = rest.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("'" + a + "' is not tcp:HOST:PORT");
            }
            int tcpPort;
            try {
                tcpPort = Integer.parseInt(rest.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + a + "' has no numeric TCP port");
            }
            if (tcpPort < 1 || tcpPort > 65535) {
                throw new IllegalArgumentException("'" + a + "' has a TCP port outside 1..65535");
            }
            return new LinkSpec(Kind.TCP, null, 0, 0, null, rest.substring(0, colon), tcpPort, baud, dataBits, stopBits, p);
        }
        if (a.startsWith("usb:")) {
            String[] parts = a.substring(4).split(":", 3);
            if (parts.length < 2) {
                throw new IllegalArgumentException("'" + a + "' is not usb:VID:PID[:SERIAL] (hexadecimal ids)");
            }
            int vid;
            int pid;
            try {
                vid = Integer.parseInt(parts[0], 16);
                pid = Integer.parseInt(parts[1], 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + a + "' has a vendor or product id that is not hexadecimal");
            }
            String serial = parts.length == 3 && !parts[2].isBlank() ? parts[2] : null;
            return new LinkSpec(Kind.USB, null, vid, pid, serial, null, 0, baud, dataBits, stopBits, p);
        }
        String path = a.startsWith("serial:") ? a.substring(7) : a;
        if (path.isBlank()) {
            throw new IllegalArgumentException("'" + a + "' has no port path");
        }
        return new LinkSpec(Kind.SERIAL, path, 0, 0, null, null, 0, baud, dataBits, stopBits, p);
    }

    /** The identity of the port: two specs with the same key would own the same port. */
    public String key() {
        return switch (kind) {
            case SERIAL -> "serial:" + path;
            case USB -> String.format(Locale.ROOT, "usb:%04x:%04x:%s", vendorId, productId,
                    serialNumber == null ? "*" : serialNumber);
            case TCP -> "tcp:" + host + ":" + port;
        };
    }

    @Override
    public String toString() {
        return kind == Kind.TCP ? key() : key() + " " + baud + " " + dataBits + parity + stopBits;
    }
}
