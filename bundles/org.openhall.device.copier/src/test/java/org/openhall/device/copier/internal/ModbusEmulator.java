package org.openhall.device.copier.internal;

import org.openhall.testsupport.Socat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import com.fazecast.jSerialComm.SerialPort;
import com.ghgande.j2mod.modbus.Modbus;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import com.ghgande.j2mod.modbus.procimg.SimpleDigitalIn;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.util.SerialParameters;

/**
 * A Modbus RTU I/O module for tests: a j2mod RTU slave (unit {@code unit}: 16 holding registers,
 * 16 discrete inputs) on a socat pseudo-terminal, reached by the driver through a second socat pair
 * ({@link #port()}) and a relay in between. Killing the outer pair unplugs the module
 * ({@link #unplug()}, {@link #plug()}); the relay can garble answers (a bad CRC, {@link #garble}),
 * as noise on a real RS-485 bus does.
 */
final class ModbusEmulator implements AutoCloseable {

    private final Path dir;
    private final Socat inner;
    private final ModbusSlave slave;
    final SimpleProcessImage image;
    private Socat outer;
    private Relay relay;
    /** Answers still to garble. */
    final AtomicInteger garble = new AtomicInteger();

    ModbusEmulator(Path dir, int unit) throws Exception {
        this.dir = dir;
        inner = new Socat(dir, "ttyC", "ttyD");
        image = new SimpleProcessImage(unit);
        for (int i = 0; i < 16; i++) {
            image.addRegister(new SimpleRegister(0));
            image.addDigitalIn(new SimpleDigitalIn(false));
        }
        SerialParameters p = new SerialParameters(inner.b.toRealPath().toString(), 9600, 0, 0, 8, 1, 0, false);
        p.setEncoding(Modbus.SERIAL_ENCODING_RTU);
        slave = ModbusSlaveFactory.createSerialSlave(p);
        slave.addProcessImage(unit, image);
        slave.open();
        plug();
    }

    /** Where the driver connects. */
    Path port() {
        return dir.resolve("ttyA");
    }

    /** Sets a 16-bit counter register. */
    void set16(int address, int value) {
        image.getRegister(address).setValue(value & 0xFFFF);
    }

    /** Sets a 32-bit counter in two registers, high word first or last. */
    void set32(int address, long value, boolean highFirst) {
        int hi = (int) (value >>> 16) & 0xFFFF;
        int lo = (int) value & 0xFFFF;
        image.getRegister(address).setValue(highFirst ? hi : lo);
        image.getRegister(address + 1).setValue(highFirst ? lo : hi);
    }

    void bit(int address, boolean on) {
        ((SimpleDigitalIn) image.getDigitalIn(address)).set(on);
    }

    /** Plugs the module in (again): a new outer pair on the same link names. */
    synchronized void plug() throws IOException {
        outer = new Socat(dir, "ttyA", "ttyB");
        relay = new Relay(outer.b, inner.a);
        relay.start();
    }

    /** Unplugs the module: the driver's port disappears. */
    synchronized void unplug() {
        relay.stop();
        outer.close();
    }

    @Override
    public synchronized void close() {
        if (relay != null) {
            relay.stop();
        }
        if (outer != null) {
            try {
                outer.close();
            } catch (AssertionError ignored) {
                // unplugged already
            }
        }
        ModbusSlaveFactory.close(slave);
        inner.close();
    }

    /** Copies bytes both ways between the driver's pair and the module's pair. */
    private final class Relay {
        private final SerialPort toDriver;
        private final SerialPort toModule;
        private final Thread up;
        private final Thread down;
        private volatile boolean stopping;

        Relay(Path driverSide, Path moduleSide) throws IOException {
            toDriver = open(driverSide);
            toModule = open(moduleSide);
            up = new Thread(() -> pump(toDriver, toModule, false), "emulator-relay-up");
            down = new Thread(() -> pump(toModule, toDriver, true), "emulator-relay-down");
            up.setDaemon(true);
            down.setDaemon(true);
        }

        private SerialPort open(Path p) throws IOException {
            SerialPort s = SerialPort.getCommPort(p.toRealPath().toString());
            if (!s.openPort()) {
                throw new IOException("cannot open " + p);
            }
            s.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 50, 0);
            return s;
        }

        void start() {
            up.start();
            down.start();
        }

        private void pump(SerialPort from, SerialPort to, boolean answers) {
            byte[] buf = new byte[256];
            while (!stopping) {
                int n = from.readBytes(buf, buf.length);
                if (n < 0) {
                    return; // port gone
                }
                if (n == 0) {
                    continue;
                }
                if (answers && garble.get() > 0 && garble.getAndDecrement() > 0) {
                    // Collect the whole answer (until the line is quiet), then spoil its last byte: the CRC.
                    byte[] frame = java.util.Arrays.copyOf(buf, n);
                    int m;
                    while ((m = from.readBytes(buf, buf.length)) > 0) {
                        byte[] longer = java.util.Arrays.copyOf(frame, frame.length + m);
                        System.arraycopy(buf, 0, longer, frame.length, m);
                        frame = longer;
                    }
                    frame[frame.length - 1] ^= 0x5A;
                    to.writeBytes(frame, frame.length);
                    continue;
                }
                to.writeBytes(buf, n);
            }
        }

        void stop() {
            stopping = true;
            try {
                up.join(2000);
                down.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            toDriver.closePort();
            toModule.closePort();
        }
    }
}
