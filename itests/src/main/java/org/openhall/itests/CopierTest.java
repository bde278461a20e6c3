package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.copy.CopyCounts;
import org.openhall.api.device.Device;
import org.openhall.api.device.DeviceDetail;
import org.openhall.api.device.DeviceEvents;
import org.openhall.api.device.DeviceKinds;
import org.openhall.api.device.DeviceStatus;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.runtime.HallHome;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.osgi.util.tracker.ServiceTracker;

import com.ghgande.j2mod.modbus.procimg.SimpleDigitalIn;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;

/**
 * The copy counter in the hall's own bundle set (R19): a module behind a Modbus TCP gateway (a j2mod
 * TCP slave on loopback) configured by a file in etc/; its copier becomes a Device service, its pages
 * reach CopyCounts, and a jam is a FAULT with the alert copier:<id>, cleared when it is back. Its
 * status changes are the device API's DeviceEvents status events (what hall:devices and the MQTT
 * bridge's devices/{id} show), as for the printer and the window devices.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class CopierTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService
    HallHome home;

    @InjectService(timeout = 30_000)
    HallQueue queue;

    @InjectService(timeout = 30_000)
    CopyCounts copies;

    @Test
    void countsPagesReportsAJamAndClearsItsAlert() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        SimpleProcessImage image = new SimpleProcessImage(1);
        for (int i = 0; i < 4; i++) {
            image.addRegister(new SimpleRegister(0));
            image.addDigitalIn(new SimpleDigitalIn(false));
        }
        image.getRegister(0).setValue(40);
        ModbusSlave slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 2, false);
        slave.addProcessImage(1, image);
        slave.open();
        Path cfg = home.etc().resolve("org.openhall.copier-itest.cfg");
        ServiceTracker<Device, Device> devices = new ServiceTracker<>(context,
                FrameworkUtil.createFilter("(&(objectClass=" + Device.class.getName() + ")(" + Device.ID + "=itcopier))"), null);
        devices.open();
        List<Event> statusEvents = new CopyOnWriteArrayList<>();
        Hashtable<String, Object> topics = new Hashtable<>();
        topics.put(EventConstants.EVENT_TOPIC, DeviceEvents.topic(DeviceEvents.DEVICE_STATUS));
        ServiceRegistration<EventHandler> recorder = context.registerService(EventHandler.class, statusEvents::add, topics);
        try {
            PrinterUpdateTest.write(cfg, "module.id=itest\nlink=tcp:127.0.0.1:" + port + "\nunitId=1\ncopiers=itcopier\n"
                    + "copier.itcopier.counter=holding:0\ncopier.itcopier.jam=discrete:0\ncopier.itcopier.name=测试复印机\n"
                    + "pollMillis=200\ncategory=A\n");
            Device d = Poll.until("copier device", Duration.ofSeconds(30), () -> Optional.ofNullable(devices.getService()));
            assertEquals(DeviceKinds.COPY_COUNTER, d.kind());
            Poll.until("ONLINE", () -> d.state().status() == DeviceStatus.ONLINE);
            LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
            Poll.until("the copier in the counts", () -> copies.pages(today).containsKey("itcopier"));
            long before = copies.pages(today).get("itcopier");

            image.getRegister(0).setValue(52);
            Poll.until("12 pages", () -> copies.pages(today).get("itcopier") == before + 12);

            ((SimpleDigitalIn) image.getDigitalIn(0)).set(true);
            Poll.until("FAULT JAM", () -> DeviceDetail.JAM.equals(d.state().detail()));
            Poll.until("a FAULT JAM status event of the copier", () -> statusEvents.stream()
                    .anyMatch(e -> status(e, "FAULT") && DeviceDetail.JAM.equals(e.getProperty(DeviceEvents.DETAIL))));
            Poll.until("alert copier:itcopier", () -> queue.snapshot().alerts().stream().anyMatch(a -> a.id().equals("copier:itcopier")));
            String text = queue.snapshot().alerts().stream().filter(a -> a.id().equals("copier:itcopier")).findFirst().orElseThrow().text();
            assertTrue(text.contains("测试复印机") && text.contains("卡纸"), text);

            ((SimpleDigitalIn) image.getDigitalIn(0)).set(false);
            Poll.until("ONLINE again", () -> d.state().status() == DeviceStatus.ONLINE);
            int jam = indexOf(statusEvents, "FAULT");
            Poll.until("an ONLINE status event after the jam", () -> List.copyOf(statusEvents).stream().skip(jam + 1L)
                    .anyMatch(e -> status(e, "ONLINE")));
            Poll.until("alert cleared", () -> queue.snapshot().alerts().stream().noneMatch(a -> a.id().equals("copier:itcopier")));
            assertEquals(before + 12, copies.pages(today).get("itcopier"));
        } finally {
            recorder.unregister();
            Files.deleteIfExists(cfg);
            Poll.until("copier device gone", () -> devices.getService() == null);
            devices.close();
            ModbusSlaveFactory.close(slave);
        }
    }

    private static boolean status(Event e, String status) {
        return "itcopier".equals(e.getProperty(DeviceEvents.DEVICE))
                && DeviceKinds.COPY_COUNTER.equals(e.getProperty(DeviceEvents.KIND))
                && status.equals(e.getProperty(DeviceEvents.STATUS));
    }

    private static int indexOf(List<Event> events, String status) {
        for (int i = 0; i < events.size(); i++) {
            if (status(events.get(i), status)) {
                return i;
            }
        }
        throw new AssertionError("no " + status + " status event of the copier in " + events);
    }
}
