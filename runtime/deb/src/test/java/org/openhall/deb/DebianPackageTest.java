package org.openhall.deb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.testsupport.HallPorts;

/**
 * The Debian package that this module builds, checked with Debian's own tools: {@code dpkg-deb}
 * for its contents, {@code systemd-analyze verify} for the unit, and a real {@code dpkg -i},
 * upgrade, {@code dpkg -r} and {@code dpkg -P} on this machine, with the installed hall started
 * as the user {@code openhall} exactly as the unit's {@code ExecStart} would (no systemd runs in
 * a container, so the unit itself is not started).
 *
 * <p><b>Needs root</b> for the installation test; CI runs as root. Without root that test fails
 * and says so. It leaves the machine as it found it: package purged, and {@code /var/lib/openhall}
 * and the user removed again when they did not exist before.
 */
class DebianPackageTest {

    static final Path DEB = Path.of(System.getProperty("openhall.deb", "target/openhall.deb"));
    static final Path DEMO_ETC = Path.of(System.getProperty("openhall.demo.etc", "../demo/etc"));
    static final Duration DPKG = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    @Test
    void thePackageHasTheJarTheHallHomeTheUnitAndTheConfigurationAsConffiles() throws Exception {
        String info = ok(List.of("dpkg-deb", "--info", DEB.toString()), DPKG);
        assertTrue(info.contains("Package: openhall"), info);
        assertTrue(info.contains("Architecture: all"), info);
        assertTrue(info.matches("(?s).*Depends: [^\n]*openjdk-17-jre-headless[^\n]*adduser.*"), info);
        for (String script : List.of("preinst", "postinst", "prerm", "postrm")) {
            assertTrue(info.matches("(?s).*\\*\\s+" + script + "\\s.*"), script + " is there and executable:\n" + info);
        }

        String contents = ok(List.of("dpkg-deb", "--contents", DEB.toString()), DPKG);
        assertEntry(contents, "-rw-r--r-- root/root", "./opt/openhall/openhall.jar");
        assertEntry(contents, "-rw-r--r-- root/root", "./lib/systemd/system/openhall.service");
        assertEntry(contents, "drwxr-xr-x root/root", "./etc/");
        assertEntry(contents, "drwxr-x--- root/openhall", "./etc/openhall/");
        assertEntry(contents, "-rw-r----- root/openhall", "./etc/openhall/org.openhall.mqtt.broker.cfg");
        assertEntry(contents, "-rw-r--r-- root/root", "./etc/default/openhall");
        assertTrue(contents.contains("./var/lib/openhall/etc -> /etc/openhall"), contents);

        Set<String> conffiles = new TreeSet<>(List.of(ok(List.of("sh", "-c",
                "dpkg-deb --ctrl-tarfile \"$0\" | tar -xO ./conffiles", DEB.toString()), DPKG).split("\n")));
        Set<String> expected = new TreeSet<>();
        try (Stream<Path> files = Files.list(DEMO_ETC)) {
            files.forEach(f -> expected.add("/etc/openhall/" + f.getFileName()));
        }
        expected.add("/etc/default/openhall");
        assertEquals(expected, conffiles, "every file of the demo hall's etc/ and /etc/default/openhall, nothing else");
    }

    @Test
    void theUnitPassesSystemdAnalyzeVerifyAndHasTheIssuesSettings() throws Exception {
        Path root = tmp.resolve("root");
        ok(List.of("dpkg-deb", "-x", DEB.toString(), root.toString()), DPKG);
        Path unit = root.resolve("lib/systemd/system/openhall.service");
        Run verify = run(List.of("systemd-analyze", "verify", unit.toString()), DPKG);
        assertEquals(0, verify.exit, verify.output);
        assertEquals("", verify.output.strip(), "no warning from systemd-analyze verify");

        List<String> lines = Files.readAllLines(unit, StandardCharsets.UTF_8);
        for (String setting : List.of("Type=notify", "NotifyAccess=main", "WatchdogSec=30", "Restart=always",
                "User=openhall", "SupplementaryGroups=dialout", "ProtectSystem=strict",
                "ReadWritePaths=/var/lib/openhall", "PrivateTmp=true", "NoNewPrivileges=true",
                "Environment=OPENHALL_HOME=/var/lib/openhall",
                "Environment=\"JAVA_OPTS=-Xms32m -Xmx256m -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -XX:TieredStopAtLevel=1\"")) {
            assertTrue(lines.contains(setting), "openhall.service has " + setting);
        }
        // Serial ports must stay visible: PrivateDevices hides /dev/tty*, DevicePolicy=closed blocks them.
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("PrivateDevices=true") || l.startsWith("DevicePolicy=")),
                "nothing that hides the serial ports");
    }

    @Test
    void installUpgradeRemoveAndPurgeOnThisMachine() throws Exception {
        if (!"0".equals(ok(List.of("id", "-u"), DPKG).strip())) {
            fail("This test installs the package with dpkg and needs root (CI runs as root); "
                    + "run it as root or in a container");
        }
        Run before = run(List.of("dpkg-query", "-W", "-f=${Status}", "openhall"), DPKG);
        if (before.exit == 0 && !before.output.contains("not-installed")) {
            fail("A package openhall is already on this machine (" + before.output.strip()
                    + "); this test would replace it. Remove it first: dpkg -P openhall");
        }
        boolean userExisted = run(List.of("getent", "passwd", "openhall"), DPKG).exit == 0;
        boolean groupExisted = run(List.of("getent", "group", "openhall"), DPKG).exit == 0;
        Path varLib = Path.of("/var/lib/openhall");
        boolean homeExisted = Files.exists(varLib, LinkOption.NOFOLLOW_LINKS);
        try {
            installAndCheck(varLib);
        } finally {
            run(List.of("dpkg", "-P", "openhall"), DPKG);
            if (!homeExisted) {
                run(List.of("rm", "-rf", varLib.toString()), DPKG);
            }
            if (!userExisted) {
                run(List.of("deluser", "--system", "--quiet", "openhall"), DPKG);
            }
            if (!groupExisted) {
                run(List.of("delgroup", "--system", "--quiet", "openhall"), DPKG);
            }
        }
    }

    private void installAndCheck(Path varLib) throws Exception {
        ok(List.of("dpkg", "-i", DEB.toString()), DPKG);
        assertEquals("install ok installed", ok(List.of("dpkg-query", "-W", "-f=${Status}", "openhall"), DPKG));

        // The files, where the issue wants them.
        assertTrue(Files.isRegularFile(Path.of("/opt/openhall/openhall.jar")));
        assertTrue(Files.isRegularFile(Path.of("/lib/systemd/system/openhall.service")));
        assertTrue(Files.isRegularFile(Path.of("/etc/openhall/org.openhall.hall.cfg")));
        assertEquals(Path.of("/etc/openhall"), Files.readSymbolicLink(varLib.resolve("etc")));
        assertOwner(Path.of("/etc"), "root", "root", "rwxr-xr-x");
        assertOwner(Path.of("/etc/openhall"), "root", "openhall", "rwxr-x---");
        assertOwner(Path.of("/etc/openhall/org.openhall.mqtt.broker.cfg"), "root", "openhall", "rw-r-----");
        assertOwner(varLib, "openhall", "openhall", "rwxr-x---");
        assertOwner(varLib.resolve("data"), "openhall", "openhall", "rwxr-x---");
        assertOwner(varLib.resolve("deploy"), "openhall", "openhall", "rwxr-x---");
        // Enabled at boot, without a running systemd (deb-systemd-helper made the link).
        assertTrue(Files.isSymbolicLink(Path.of("/etc/systemd/system/multi-user.target.wants/openhall.service")),
                "openhall.service is enabled");

        // The system user: in group dialout for the serial ports, no login, home = the hall home.
        String[] passwd = ok(List.of("getent", "passwd", "openhall"), DPKG).strip().split(":");
        assertTrue(Integer.parseInt(passwd[2]) < 1000, "a system user: uid " + passwd[2]);
        assertEquals("/var/lib/openhall", passwd[5]);
        assertEquals("/usr/sbin/nologin", passwd[6]);
        Set<String> groups = Set.of(ok(List.of("id", "-nG", "openhall"), DPKG).strip().split(" "));
        assertTrue(groups.containsAll(Set.of("openhall", "dialout")), "groups of openhall: " + groups);

        // The installed hall starts as the unit starts it: as openhall, from /opt, on /var/lib/openhall.
        freePorts();
        startAsTheUnitWould();

        // An operator's change to a conffile survives an upgrade; an unchanged conffile is updated.
        Path edited = Path.of("/etc/openhall/org.openhall.hall.cfg");
        Files.writeString(edited, "\n# changed by the hall's IT\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        String editedText = Files.readString(edited, StandardCharsets.UTF_8);
        Path data = varLib.resolve("data/queue/journal.db");
        assertTrue(Files.isRegularFile(data), "the hall wrote its journal into /var/lib/openhall/data");
        Path upgrade = nextVersion();
        ok(List.of("dpkg", "-i", upgrade.toString()), DPKG);
        assertEquals("0.1.0~SNAPSHOT+next", ok(List.of("dpkg-query", "-W", "-f=${Version}", "openhall"), DPKG));
        assertEquals(editedText, Files.readString(edited, StandardCharsets.UTF_8), "the operator's change is kept");
        assertTrue(Files.readString(Path.of("/etc/openhall/org.openhall.policy.closing.cfg"), StandardCharsets.UTF_8)
                .contains("# new in the next version"), "an unchanged conffile takes the new version");
        assertTrue(Files.isRegularFile(data), "the journal survived the upgrade");

        // dpkg -r: the program goes, configuration and data stay.
        ok(List.of("dpkg", "-r", "openhall"), DPKG);
        assertEquals("deinstall ok config-files", ok(List.of("dpkg-query", "-W", "-f=${Status}", "openhall"), DPKG));
        assertFalse(Files.exists(Path.of("/opt/openhall/openhall.jar")));
        assertFalse(Files.exists(Path.of("/lib/systemd/system/openhall.service")));
        assertEquals(editedText, Files.readString(edited, StandardCharsets.UTF_8), "conffiles stay after dpkg -r");
        assertTrue(Files.isRegularFile(data), "the journal stays after dpkg -r");

        // dpkg -P: the configuration goes too; the hall's data is never deleted by the package.
        ok(List.of("dpkg", "-P", "openhall"), DPKG);
        assertFalse(Files.exists(Path.of("/etc/openhall")), "purge removes /etc/openhall");
        assertFalse(Files.exists(Path.of("/etc/default/openhall")));
        assertFalse(Files.exists(Path.of("/etc/systemd/system/multi-user.target.wants/openhall.service")));
        assertTrue(Files.isRegularFile(data), "purge keeps the journal (docs/operations.md: back it up, delete by hand)");
    }

    /**
     * The demo configuration's broker listens on 1883/8083; other tests on this machine may use
     * them. An operator's edit of the installed conffiles (which the upgrade must then keep).
     */
    private void freePorts() throws IOException {
        HallPorts.moveToFreePorts(Path.of("/etc/openhall"));
    }

    /**
     * Runs the unit's ExecStart with its environment (OPENHALL_HOME, JAVA_OPTS from
     * /etc/default/openhall) as user openhall with its groups, waits for READY, checks that the
     * process has group dialout, and stops it with SIGTERM as {@code systemctl stop} would.
     */
    private void startAsTheUnitWould() throws Exception {
        List<String> unit = Files.readAllLines(Path.of("/lib/systemd/system/openhall.service"), StandardCharsets.UTF_8);
        String execStart = unit.stream().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow()
                .substring("ExecStart=".length());
        String javaOpts = Files.readAllLines(Path.of("/etc/default/openhall"), StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("JAVA_OPTS=")).findFirst().orElseThrow()
                .replaceFirst("^JAVA_OPTS=\"(.*)\"$", "$1");
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=openhall", "--regid=openhall",
                "--init-groups", "--"));
        for (String word : execStart.split(" +")) {
            if (word.equals("$JAVA_OPTS")) {
                command.addAll(List.of(javaOpts.split(" +")));
            } else {
                command.add(word);
            }
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(new java.io.File("/var/lib/openhall"))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("hall.out").toFile());
        builder.environment().put("OPENHALL_HOME", "/var/lib/openhall");
        builder.environment().put("HOME", "/var/lib/openhall");
        builder.environment().remove("NOTIFY_SOCKET");
        Process hall = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.readString(tmp.resolve("hall.out"), StandardCharsets.UTF_8).contains("OpenHall READY in")) {
                if (!hall.isAlive() || System.nanoTime() > deadline) {
                    fail("The installed hall did not become READY (alive " + hall.isAlive() + "):\n"
                            + Files.readString(tmp.resolve("hall.out"), StandardCharsets.UTF_8));
                }
                hall.waitFor(200, TimeUnit.MILLISECONDS); // poll the output, or notice the exit
            }
            String status = Files.readString(Path.of("/proc/" + hall.pid() + "/status"), StandardCharsets.UTF_8);
            String dialout = ok(List.of("getent", "group", "dialout"), DPKG).split(":")[2];
            String groupsLine = status.lines().filter(l -> l.startsWith("Groups:")).findFirst().orElseThrow();
            assertTrue(List.of(groupsLine.substring(7).trim().split("\\s+")).contains(dialout),
                    "the hall runs with group dialout: " + groupsLine);
            String uid = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
            assertFalse(uid.matches("Uid:\\s+0\\s.*"), "not as root: " + uid);
            hall.toHandle().destroy();
            assertTrue(hall.waitFor(10, TimeUnit.SECONDS), "SIGTERM stopped the installed hall");
            assertTrue(Files.readString(tmp.resolve("hall.out"), StandardCharsets.UTF_8).contains("OpenHall stopped"));
        } finally {
            hall.destroyForcibly();
            hall.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The same package as the next release: a higher version and one changed (unedited) conffile. */
    private Path nextVersion() throws Exception {
        Path dir = tmp.resolve("next");
        ok(List.of("dpkg-deb", "-R", DEB.toString(), dir.toString()), DPKG);
        Path control = dir.resolve("DEBIAN/control");
        Files.writeString(control, Files.readString(control, StandardCharsets.UTF_8)
                .replaceFirst("(?m)^Version: .*$", "Version: 0.1.0~SNAPSHOT+next"), StandardCharsets.UTF_8);
        Path closing = dir.resolve("etc/openhall/org.openhall.policy.closing.cfg");
        Files.writeString(closing, Files.readString(closing, StandardCharsets.UTF_8) + "# new in the next version\n",
                StandardCharsets.UTF_8);
        // md5sums lists the conffile: dpkg-deb -b would accept a stale one, dpkg -V would not.
        ok(List.of("sh", "-c", "cd \"$0\" && find etc opt lib usr -type f -exec md5sum {} + > DEBIAN/md5sums",
                dir.toString()), DPKG);
        Path deb = tmp.resolve("openhall-next.deb");
        ok(List.of("dpkg-deb", "--root-owner-group", "-b", dir.toString(), deb.toString()), DPKG);
        return deb;
    }

    private static void assertEntry(String contents, String modeAndOwner, String path) {
        assertTrue(contents.lines().anyMatch(l -> l.startsWith(modeAndOwner) && l.endsWith(" " + path)),
                path + " as " + modeAndOwner + " in:\n" + contents);
    }

    private static void assertOwner(Path path, String user, String group, String mode) throws IOException {
        PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertEquals(user + ":" + group + " " + mode,
                a.owner().getName() + ":" + a.group().getName() + " " + PosixFilePermissions.toString(a.permissions()),
                path.toString());
    }

    record Run(int exit, String output) {}

    private static Run run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile("deb-test", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not end within " + timeout.toSeconds() + " s");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String ok(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Run r = run(command, timeout);
        if (r.exit != 0) {
            fail(command.stream().collect(Collectors.joining(" ")) + " exited " + r.exit + ":\n" + r.output);
        }
        return r.output;
    }
}
