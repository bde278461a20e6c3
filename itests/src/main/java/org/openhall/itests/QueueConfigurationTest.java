package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Dictionary;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.WindowView;
import org.openhall.api.runtime.HallHome;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/** Configuration files in etc/ change the running hall; a bad one is refused and the last good stays. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class QueueConfigurationTest {

    @InjectService
    HallHome home;

    @InjectService
    ConfigurationAdmin configAdmin;

    @InjectService(timeout = 30_000)
    HallQueue queue;

    @AfterEach
    void removeTestFiles() throws IOException {
        Files.deleteIfExists(file("8"));
        Files.deleteIfExists(file("9"));
        Poll.until("windows 8 and 9 gone", () -> window("8").isEmpty() && window("9").isEmpty());
    }

    Path file(String window) {
        return home.etc().resolve("org.openhall.window-" + window + ".cfg");
    }

    void write(String window, String content) throws IOException {
        Path part = home.etc().resolve(".window-" + window + ".part");
        Files.writeString(part, content, StandardCharsets.UTF_8);
        Files.move(part, file(window), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes the file's bytes as they are (in another encoding, or with a byte order mark). */
    void writeBytes(String window, byte[] content) throws IOException {
        Path part = home.etc().resolve(".window-" + window + ".part");
        Files.write(part, content);
        Files.move(part, file(window), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    Optional<WindowView> window(String id) {
        return queue.snapshot().windows().stream().filter(w -> w.id().equals(id)).findFirst();
    }

    @InjectService
    MetaTypeService metatype;

    @InjectBundleContext
    BundleContext context;

    @Test
    void metatypeDescribesEveryHallConfigurationForConsoles() {
        Bundle core = Stream.of(context.getBundles()).filter(b -> "org.openhall.queue.core".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        MetaTypeInformation info = metatype.getMetaTypeInformation(core);
        assertEquals(List.of("org.openhall.hall"), List.of(info.getPids()));
        assertEquals(Set.of("org.openhall.category", "org.openhall.serviceitem", "org.openhall.window", "org.openhall.staff"),
                Set.of(info.getFactoryPids()));
        ObjectClassDefinition window = info.getObjectClassDefinition("org.openhall.window", null);
        Set<String> keys = Stream.of(window.getAttributeDefinitions(ObjectClassDefinition.ALL)).map(a -> a.getID())
                .collect(Collectors.toSet());
        assertEquals(Set.of("id", "name", "categories", "standby"), keys);
        ObjectClassDefinition hall = info.getObjectClassDefinition("org.openhall.hall", null);
        assertTrue(Stream.of(hall.getAttributeDefinitions(ObjectClassDefinition.ALL))
                .anyMatch(a -> a.getID().equals("fairness.maxConsecutivePriorityCalls")));
    }

    @Test
    void aNewWindowFileOpensAWindowAndABadEditOfItIsRefused() throws Exception {
        write("9", "id = 9\nname = 9号窗口\ncategories = A\n");
        WindowView nine = Poll.until("window 9 in the hall", Poll.DEFAULT, () -> window("9"));
        assertEquals(List.of("A"), nine.categories());
        assertEquals("9号窗口", nine.name());

        // A bad edit: category Z does not exist. Wait until Config Admin has it …
        write("9", "id = 9\nname = 9号窗口\ncategories = A,Z\n");
        Poll.until("Config Admin has the bad window 9", () -> categoriesInConfigAdmin("9").contains("Z"));
        // … then make a good change elsewhere: Config Admin delivers updates in order, so once
        // window 8 shows, the bad update of window 9 has been processed, and refused.
        write("8", "id = 8\ncategories = B\n");
        Poll.until("window 8 in the hall", () -> window("8").isPresent());
        assertEquals(List.of("A"), window("9").orElseThrow().categories(), "the last good window 9 stays");
    }

    /**
     * Issue 17, point 9, through the real FileInstall: a file that starts with a UTF-8 byte order
     * mark (as some Windows editors save it) is accepted; the same file saved as GBK is refused
     * (before the fix its name was taken as "����") and the last good version stays.
     */
    @Test
    void aByteOrderMarkIsAcceptedAndAFileSavedAsGbkIsRefused() throws Exception {
        byte[] bom = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };
        byte[] text = "id = 9\nname = 9号窗口\ncategories = A\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[bom.length + text.length];
        System.arraycopy(bom, 0, withBom, 0, bom.length);
        System.arraycopy(text, 0, withBom, bom.length, text.length);
        writeBytes("9", withBom);
        WindowView nine = Poll.until("window 9 (with a byte order mark) in the hall", Poll.DEFAULT, () -> window("9"));
        assertEquals("9号窗口", nine.name());

        writeBytes("9", "id = 9\nname = 九号窗口\ncategories = A,B\n".getBytes(java.nio.charset.Charset.forName("GBK")));
        Poll.until("Config Admin has the GBK window 9", () -> categoriesInConfigAdmin("9").contains("B"));
        // As above: once window 8 shows, the GBK update of window 9 has been processed.
        write("8", "id = 8\ncategories = B\n");
        Poll.until("window 8 in the hall", () -> window("8").isPresent());
        WindowView still = window("9").orElseThrow();
        assertEquals("9号窗口", still.name(), "the last good window 9 stays");
        assertEquals(List.of("A"), still.categories());
    }

    String categoriesInConfigAdmin(String window) {
        try {
            Configuration[] found = configAdmin.listConfigurations(
                    "(&(service.factoryPid=org.openhall.window)(id=" + window + "))");
            if (found == null) {
                return "";
            }
            Dictionary<String, Object> p = found[0].getProperties();
            return p == null ? "" : String.valueOf(p.get("categories"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
