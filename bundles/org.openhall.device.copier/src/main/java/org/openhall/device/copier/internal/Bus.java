package org.openhall.device.copier.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.ModbusIOException;
import com.ghgande.j2mod.modbus.ModbusSlaveException;
import com.ghgande.j2mod.modbus.facade.AbstractModbusMaster;
import com.ghgande.j2mod.modbus.facade.ModbusSerialMaster;
import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.net.AbstractSerialConnection;
import com.ghgande.j2mod.modbus.util.SerialParameters;

/**
 * One Modbus bus: an RS-485 line (RTU) or a Modbus TCP gateway, shared by every module configured
 * on it (one j2mod master per port: two masters on one port would garble each other). Requests are
 * serialized by a fair lock, and each waits at most its timeout × attempts, so a module that stops
 * answering costs the others only that per request and never stalls the bus.
 *
 * <p>A serial port that disappears (adapter unplugged, socat gone) or is replaced by another device
 * node behind the same link (re-plugged) is closed and opened again, with a fresh j2mod master: its
 * connection keeps the device node it resolved first.
 */
final class Bus {

    private static final Logger LOG = LoggerFactory.getLogger(Bus.class);

    /** The port is not there or the connection is refused: every module on it is OFFLINE, NO_PORT. */
    static final class Down extends Exception {
        private static final long serialVersionUID = 1L;

        Down(String message) {
            super(message);
        }
    }

    /** The module did not answer (or only with frames that could not be read) within its attempts. */
    static final class NoAnswer extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean garbled;

        NoAnswer(String message, boolean garbled) {
            super(message);
            this.garbled = garbled;
        }
    }

    @FunctionalInterface
    interface Call<T> {
        T run(AbstractModbusMaster master) throws ModbusException;
    }

    final Config.Link link;
    private final ReentrantLock lock = new ReentrantLock(true);
    private AbstractModbusMaster master;
    private Path openedNode;
    private String lastDown;
    int users;

    final AtomicLong requests = new AtomicLong();
    final AtomicLong timeouts = new AtomicLong();
    final AtomicLong garbled = new AtomicLong();
    final AtomicLong reopens = new AtomicLong();

    Bus(Config.Link link) {
        this.link = link;
    }

    /**
     * Runs one request for a module, with {@code attempts} tries of at most {@code timeoutMillis}
     * each.
     *
     * @throws Down                the port is not there or cannot be opened
     * @throws NoAnswer            no readable answer in all attempts (timeouts, bad CRC: counted)
     * @throws ModbusSlaveException the module answered with a Modbus exception (e.g. an illegal address)
     */
    <T> T transact(int timeoutMillis, int attempts, Call<T> call) throws Down, NoAnswer, ModbusSlaveException, InterruptedException {
        if (!lock.tryLock(timeoutMillis * (long) attempts * 20 + 5000, TimeUnit.MILLISECONDS)) {
            throw new NoAnswer("bus " + link + " busy", false);
        }
        try {
            AbstractModbusMaster m = open();
            m.setTimeout(timeoutMillis);
            String last = null;
            boolean sawGarbled = false;
            for (int i = 0; i < attempts; i++) {
                requests.incrementAndGet();
                try {
                    return call.run(m);
                } catch (ModbusSlaveException e) {
                    throw e;
                } catch (ModbusIOException e) {
                    last = e.getMessage();
                    // j2mod reports a bad CRC and a missing answer alike as ModbusIOException; only its
                    // message tells them apart ("CRC Error in received frame").
                    if (last != null && last.contains("CRC")) {
                        garbled.incrementAndGet();
                        sawGarbled = true;
                    } else {
                        timeouts.incrementAndGet();
                    }
                    if (vanished()) {
                        closeMaster();
                        throw new Down("port " + link.port() + " is gone");
                    }
                    if (!link.serial()) {
                        // A TCP connection that failed is opened again for the next attempt.
                        closeMaster();
                        m = open();
                        m.setTimeout(timeoutMillis);
                    }
                } catch (ModbusException e) {
                    last = e.getMessage();
                    timeouts.incrementAndGet();
                }
            }
            throw new NoAnswer(last == null ? "no answer" : last, sawGarbled);
        } finally {
            lock.unlock();
        }
    }

    private AbstractModbusMaster open() throws Down {
        if (master != null && !vanished()) {
            return master;
        }
        closeMaster();
        AbstractModbusMaster m;
        if (link.serial()) {
            Path port = link.port();
            if (!Files.exists(port)) {
                throw down("no port " + port);
            }
            Path node;
            try {
                node = port.toRealPath();
            } catch (IOException e) {
                throw down("no port " + port + ": " + e.getMessage());
            }
            SerialParameters p = new SerialParameters(node.toString(), link.baud(), 0, 0, link.dataBits(),
                    link.stopBits() == 2 ? AbstractSerialConnection.TWO_STOP_BITS : AbstractSerialConnection.ONE_STOP_BIT, link.parity(), false);
            p.setOpenDelay(0);
            ModbusSerialMaster sm = new ModbusSerialMaster(p);
            try {
                sm.connect();
            } catch (Exception e) {
                sm.disconnect();
                throw down("port " + port + " cannot be opened: " + e.getMessage());
            }
            openedNode = node;
            m = sm;
        } else {
            ModbusTCPMaster tm = new ModbusTCPMaster(link.host(), link.tcpPort(), 1000, false);
            try {
                tm.connect();
            } catch (Exception e) {
                tm.disconnect();
                throw down(link + ": " + e.getMessage());
            }
            m = tm;
        }
        // Attempts are ours (so that every bad frame is counted); j2mod tries once.
        m.setRetries(1);
        master = m;
        reopens.incrementAndGet();
        lastDown = null;
        LOG.info("Modbus bus {} open{}", link, openedNode == null ? "" : " (" + openedNode + ")");
        return m;
    }

    private Down down(String message) {
        if (!message.equals(lastDown)) {
            LOG.warn("Modbus bus {}: {}", link, message);
            lastDown = message;
        }
        return new Down(message);
    }

    /** Whether the serial port's device node is gone or is another one than the one opened. */
    private boolean vanished() {
        if (!link.serial() || openedNode == null) {
            return false;
        }
        try {
            return !Files.exists(link.port()) || !link.port().toRealPath().equals(openedNode) || !Files.exists(openedNode);
        } catch (IOException e) {
            return true;
        }
    }

    private void closeMaster() {
        AbstractModbusMaster m = master;
        master = null;
        openedNode = null;
        if (m != null) {
            try {
                m.disconnect();
            } catch (RuntimeException e) {
                LOG.debug("Modbus bus {}: closing: {}", link, e.toString());
            }
        }
    }

    /** Closes the port (the last module of the bus went away). */
    void close() {
        lock.lock();
        try {
            closeMaster();
        } finally {
            lock.unlock();
        }
    }
}
