package org.openhall.device.serial.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.openhall.device.serial.LinkSpec;

import com.fazecast.jSerialComm.SerialPort;

/** A serial port through jSerialComm, by path or by USB identity. */
public final class SerialConnection implements Connection {

    private final SerialPort port;
    private final String path;
    private final Path realPath;

    private SerialConnection(SerialPort port, String path, Path realPath) {
        this.port = port;
        this.path = path;
        this.realPath = realPath;
    }

    /** Opens the port, or throws with the reason (no such port, busy, no permission). */
    public static SerialConnection open(LinkSpec spec) throws IOException {
        String path = spec.kind() == LinkSpec.Kind.USB ? findUsb(spec) : spec.path();
        Path file = Path.of(path);
        if (!Files.exists(file)) {
            throw new IOException("no port " + path);
        }
        Path real = file.toRealPath();
        SerialPort port = SerialPort.getCommPort(path);
        port.setComPortParameters(spec.baud(), spec.dataBits(), stopBits(spec.stopBits()), parity(spec.parity()));
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, 100, 2000);
        if (!port.openPort()) {
            throw new IOException("cannot open " + path + " (error " + port.getLastErrorCode() + ")");
        }
        return new SerialConnection(port, path, real);
    }

    private static String findUsb(LinkSpec spec) throws IOException {
        List<UsbPorts.Port> ports = Stream.of(SerialPort.getCommPorts())
                .map(p -> new UsbPorts.Port(p.getSystemPortPath(), p.getVendorID(), p.getProductID(), p.getSerialNumber()))
                .toList();
        return UsbPorts.find(spec, ports)
                .orElseThrow(() -> new IOException("no USB serial adapter " + spec.key() + " plugged in"));
    }

    private static int stopBits(int bits) {
        return bits == 2 ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT;
    }

    private static int parity(char p) {
        return switch (p) {
            case 'E' -> SerialPort.EVEN_PARITY;
            case 'O' -> SerialPort.ODD_PARITY;
            case 'M' -> SerialPort.MARK_PARITY;
            case 'S' -> SerialPort.SPACE_PARITY;
            default -> SerialPort.NO_PARITY;
        };
    }

    @Override
    public int read(byte[] buffer) {
        int n = port.readBytes(buffer, buffer.length);
        return n < 0 ? -1 : n;
    }

    @Override
    public void write(byte[] data) throws IOException {
        int n = port.writeBytes(data, data.length);
        if (n != data.length) {
            throw new IOException("write to " + path + " failed (" + n + " of " + data.length + " bytes)");
        }
    }

    /**
     * A USB adapter that is unplugged, or a pseudo-terminal whose socat ended, removes its device
     * node or link; jSerialComm does not always report that on a read, so look at the file.
     */
    @Override
    public boolean alive() {
        try {
            Path file = Path.of(path);
            return port.isOpen() && Files.exists(file) && file.toRealPath().equals(realPath);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String describe() {
        return path + " (" + realPath + ")";
    }

    @Override
    public void close() {
        port.closePort();
    }
}
