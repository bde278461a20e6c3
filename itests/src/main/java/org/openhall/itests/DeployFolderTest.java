package org.openhall.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Dictionary;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openhall.api.runtime.HallHome;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/** deploy/: what an integrator drops in is installed, updated and removed while the hall runs. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class DeployFolderTest {

    static final String DROPIN = "org.openhall.itests.dropin";

    @InjectBundleContext
    BundleContext context;

    @InjectService
    HallHome home;

    @InjectService
    ConfigurationAdmin configAdmin;

    @Test
    void aBundleDroppedIntoDeployIsStartedUpdatedInPlaceAndUninstalledWhenRemoved() throws IOException {
        Path jar = home.deploy().resolve("dropin.jar");

        drop(jar, bundle(DROPIN, "1.0.0"));
        Bundle installed = Poll.until(DROPIN + " 1.0.0 ACTIVE", Poll.DEFAULT, () -> find(DROPIN)
                .filter(b -> b.getState() == Bundle.ACTIVE && b.getVersion().equals(new Version(1, 0, 0))));
        long id = installed.getBundleId();

        drop(jar, bundle(DROPIN, "1.1.0"));
        Bundle updated = Poll.until(DROPIN + " 1.1.0 ACTIVE", Poll.DEFAULT, () -> find(DROPIN)
                .filter(b -> b.getState() == Bundle.ACTIVE && b.getVersion().equals(new Version(1, 1, 0))));
        assertEquals(id, updated.getBundleId(), "updated in place, not installed a second time");

        Files.delete(jar);
        Poll.until(DROPIN + " uninstalled", () -> find(DROPIN).isEmpty() && updated.getState() == Bundle.UNINSTALLED);
    }

    @Test
    void aConfigurationDroppedIntoDeployReachesConfigAdminAndLeavesWhenRemoved() throws Exception {
        String pid = "org.openhall.itests.dropin";
        Path cfg = home.deploy().resolve(pid + ".cfg");

        drop(cfg, "greeting = 欢迎光临\n".getBytes(StandardCharsets.UTF_8));
        Dictionary<String, Object> props = Poll.until(pid + " in Config Admin", Poll.DEFAULT, () -> properties(pid));
        assertEquals("欢迎光临", props.get("greeting"));

        Files.delete(cfg);
        Poll.until(pid + " deleted from Config Admin", () -> properties(pid).isEmpty());
    }

    private Optional<Bundle> find(String bsn) {
        return Stream.of(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst();
    }

    private Optional<Dictionary<String, Object>> properties(String pid) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid + ")");
            return found == null ? Optional.empty() : Optional.ofNullable(found[0].getProperties());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Writes beside the target and renames, as an integrator's copy should: FileInstall never sees half a file. */
    private static void drop(Path target, byte[] content) throws IOException {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        Files.write(part, content);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static byte[] bundle(String bsn, String version) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", bsn);
        main.putValue("Bundle-Version", version);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            out.putNextEntry(new JarEntry("readme.txt"));
            out.write(("drop-in test bundle " + version).getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return bytes.toByteArray();
    }
}
