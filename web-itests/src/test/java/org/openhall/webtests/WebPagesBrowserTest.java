package org.openhall.webtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openhall.device.printer.internal.WebTestPrinter;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The pages in headless Chromium (Debian's chromium and chromedriver; nothing downloads a browser)
 * against the shipped openhall.jar with its embedded broker on free ports and the printer bundle's
 * ESC/POS emulator on a socat PTY: kiosk → printed ticket → screen count; caller signs in
 * (challenge, no PIN sent) and calls → screen shows and announces once; finish → evaluator arms →
 * rating → stats/today; broker off → screen offline → broker on → current again without reload.
 * Screenshots at 1920×1080 go to target/screens/.
 */
class WebPagesBrowserTest {

    static final Path JAR = Path.of(System.getProperty("openhall.jar", "../runtime/target/openhall.jar"));
    static final Path DEMO_ETC = Path.of(System.getProperty("openhall.demo.etc", "../runtime/demo/etc"));
    static final Path SCREENS = Path.of(System.getProperty("openhall.screens", "target/screens"));
    static final Duration WAIT = Duration.ofSeconds(30);
    /** The evaluator pad's time for a touch: short, so that the test sees it run out (well within WAIT). */
    static final int EVALUATOR_SECONDS = 8;
    static final ObjectMapper JSON = new ObjectMapper();

    /** Replaces speech synthesis by a recorder: headless Chromium has no voices. */
    static final String SPEECH_RECORDER = """
            window.__spoken = [];
            if (window.speechSynthesis) {
              window.speechSynthesis.speak = function (u) {
                window.__spoken.push(u.text);
                setTimeout(function () { if (u.onend) u.onend(new Event('end')); }, 20);
              };
            }
            """;

    @TempDir
    Path tmp;
    Process hall;
    final List<String> log = new ArrayList<>();
    ChromeDriver driver;
    WebTestPrinter printer;
    MqttClient watcher;

    @AfterEach
    void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (watcher != null) {
            watcher.disconnectForcibly(1000);
            watcher.close();
        }
        if (hall != null) {
            hall.destroy();
            if (!hall.waitFor(20, TimeUnit.SECONDS)) {
                hall.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (printer != null) {
            printer.close();
        }
        synchronized (log) { // the hall's output, to read when a test fails
            Files.createDirectories(SCREENS.getParent());
            Files.write(SCREENS.getParent().resolve("web-pages-hall.log"), log, StandardCharsets.UTF_8);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void rewrite(Path file, Map<String, String> keys) throws IOException {
        List<String> out = new ArrayList<>();
        List<String> done = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String key = line.contains("=") ? line.substring(0, line.indexOf('=')).trim() : "";
            if (keys.containsKey(key) && !line.trim().startsWith("#")) {
                out.add(key + " = " + keys.get(key));
                done.add(key);
            } else {
                out.add(line);
            }
        }
        keys.forEach((k, v) -> {
            if (!done.contains(k)) {
                out.add(k + " = " + v);
            }
        });
        Files.write(file, out, StandardCharsets.UTF_8);
    }

    void awaitLog(String text) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        synchronized (log) {
            while (log.stream().noneMatch(l -> l.contains(text))) {
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                assertTrue(left > 0, () -> "no '" + text + "' in the hall's output:\n" + String.join("\n", log));
                log.wait(left);
            }
        }
    }

    void console(String line) throws IOException {
        hall.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        hall.getOutputStream().flush();
    }

    /** The first output line that matches {@code regex} (found anywhere in it). */
    String awaitLine(String regex) throws InterruptedException {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
        long end = System.nanoTime() + WAIT.toNanos();
        synchronized (log) {
            while (true) {
                for (String l : log) {
                    if (p.matcher(l).find()) {
                        return l;
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                assertTrue(left > 0, () -> "no line like '" + regex + "' in the hall's output:\n" + String.join("\n", log));
                log.wait(left);
            }
        }
    }

    <T> T until(String what, Supplier<T> probe) {
        return new WebDriverWait(driver, WAIT).withMessage(what)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            T v = probe.get();
            return v instanceof Boolean b && !b ? null : v;
        });
    }

    /** The element's text, "" when absent or re-rendered between finding and reading it (the poll asks again). */
    String text(String css) {
        List<org.openqa.selenium.WebElement> e = driver.findElements(By.cssSelector(css));
        try {
            return e.isEmpty() ? "" : e.get(0).getText();
        } catch (org.openqa.selenium.StaleElementReferenceException rerendered) {
            return "";
        }
    }

    void screenshot(String name) throws IOException {
        screenshot(name, 1920, 1080);
    }

    /** The page itself at width×height (a TV), whatever the headless window's frame takes. */
    void screenshot(String name, int width, int height) throws IOException {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
        Files.createDirectories(SCREENS);
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), SCREENS.resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    @SuppressWarnings("unchecked")
    List<String> spoken() {
        return (List<String>) ((JavascriptExecutor) driver).executeScript("return window.__spoken || [];");
    }

    @Test
    void kioskCallerScreenAndEvaluatorDriveTheRealHall() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " is built by the runtime module");
        int mqtt = freePort(), ws = freePort(), http = freePort();
        Path home = tmp.resolve("hall");
        Path etc = Files.createDirectories(home.resolve("etc"));
        try (Stream<Path> files = Files.list(DEMO_ETC)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, etc.resolve(f.getFileName()));
            }
        }
        printer = new WebTestPrinter(tmp);
        Path broker = etc.resolve("org.openhall.mqtt.broker.cfg");
        rewrite(broker, Map.of("port", "" + mqtt, "websocketPort", "" + ws, "host", "127.0.0.1"));
        rewrite(etc.resolve("org.openhall.mqtt.connection-local.cfg"), Map.of("uri", "tcp://127.0.0.1:" + mqtt,
                "backoff.initialMillis", "200", "backoff.maxMillis", "1000"));
        rewrite(etc.resolve("org.openhall.web.cfg"), Map.of("port", "" + http, "host", "127.0.0.1",
                "brokerUrl", "ws://{host}:" + ws + "/mqtt", "evaluatorSeconds", String.valueOf(EVALUATOR_SECONDS)));
        rewrite(etc.resolve("org.openhall.printer-kiosk1.cfg"), Map.of("link", "serial:" + printer.port(),
                "pollMillis", "500"));

        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dopenhall.home=" + home, "-Dlaunch.storage.dir=" + home.resolve("data/felix-cache"),
                "-Djava.io.tmpdir=" + tmp, "-Dgosh.args=", "-jar", JAR.toString()).redirectErrorStream(true);
        hall = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(hall.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = in.readLine()) != null;) {
                    synchronized (log) {
                        log.add(l);
                        log.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "hall-output");
        reader.setDaemon(true);
        reader.start();
        awaitLog("OpenHall READY");
        awaitLog("Web pages on http://127.0.0.1:" + http);

        // stats/today, as a dashboard sees it
        AtomicReference<JsonNode> stats = new AtomicReference<>();
        watcher = new MqttClient("tcp://127.0.0.1:" + mqtt, "web-test-watcher", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setAutomaticReconnect(true);
        o.setCleanSession(true);
        watcher.connect(o);
        watcher.subscribe("openhall/v1/demo/stats/today", 1, (t, m) -> {
            if (m.getPayload().length > 0) {
                stats.set(JSON.readTree(m.getPayload()));
            }
        });

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1920,1080", "--lang=zh-CN", "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows");
        driver = new ChromeDriver(service, options);
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", SPEECH_RECORDER));
        String base = "http://127.0.0.1:" + http;
        // Each page as the demo broker's user of its role (etc/org.openhall.mqtt.broker.cfg,
        // permissions): a kiosk issues, a caller runs its window, an evaluator rates.
        String kioskUser = "#user=kiosk1&password=demo-kiosk";
        String callerUser = "#user=caller1&password=demo-caller";
        String evaluatorUser = "#user=evaluator1&password=demo-evaluator";

        // The index lists the pages of the configuration.
        driver.get(base + "/");
        until("index lists window 5's caller", () -> !driver.findElements(By.cssSelector("a[href='/caller?window=5']")).isEmpty());
        screenshot("index");

        // The hall screen, current and online.
        driver.get(base + "/screen");
        String screen = driver.getWindowHandle();
        until("screen shows queue A", () -> text("tr[data-category=A] .waiting").equals("等候 0 人"));
        until("screen online", () -> !driver.findElement(By.id("offline")).isDisplayed());
        // The demo's RS-485 displays, keypads and evaluators are not attached: three notices and a
        // count of the others, so that the queues stay on the screen.
        until("the devices that are down are counted", () -> text("#moreNotices").matches("另有\\d+台设备故障"));
        assertEquals(3, driver.findElements(By.cssSelector("#notices .notice[data-device]")).size());

        // Kiosk: a touch issues and prints A001.
        driver.switchTo().newWindow(WindowType.TAB);
        String kiosk = driver.getWindowHandle();
        driver.get(base + "/kiosk?id=kiosk1" + kioskUser);
        until("kiosk buttons", () -> !driver.findElements(By.cssSelector("button[data-category=A]")).isEmpty());
        until("kiosk online", () -> !driver.findElement(By.id("offline")).isDisplayed());
        driver.findElement(By.cssSelector("button[data-category=A]")).click();
        until("kiosk shows the number", () -> text("#number").equals("A001"));
        assertEquals("请取走号票", text("#printed"));
        assertEquals("", text("#notprinted"));
        until("the emulator printed A001", () -> printer.slips().stream().anyMatch(s -> s.contains("A001")));
        screenshot("kiosk");
        driver.switchTo().window(screen);
        until("screen counts A001", () -> text("tr[data-category=A] .waiting").equals("等候 1 人"));

        // Caller: sign in at window 1 (challenge, the PIN stays in the page) and call A001.
        driver.switchTo().newWindow(WindowType.TAB);
        String caller = driver.getWindowHandle();
        driver.get(base + "/caller?window=1" + callerUser);
        until("caller online", () -> !driver.findElement(By.id("offline")).isDisplayed());
        driver.findElement(By.id("staffId")).sendKeys("1001");
        driver.findElement(By.id("pin")).sendKeys("0000");
        driver.findElement(By.id("signinBtn")).click();
        until("a wrong PIN is refused in Chinese", () -> text("#msg").equals("工号或密码错误"));
        driver.findElement(By.id("staffId")).clear();
        driver.findElement(By.id("staffId")).sendKeys("1001");
        driver.findElement(By.id("pin")).sendKeys("1234");
        driver.findElement(By.id("signinBtn")).click();
        until("signed in", () -> driver.findElement(By.id("desk")).isDisplayed());
        driver.findElement(By.cssSelector("button[data-op=call-next]")).click();
        until("caller shows A001", () -> text("#current").equals("A001"));
        driver.findElement(By.cssSelector("button[data-op=call-next]")).click();
        until("a refusal is a Chinese message", () -> text("#msg").equals("当前状态下不能这样操作")
                || text("#msg").equals("没有等候的号票"));
        screenshot("caller");

        driver.switchTo().window(screen);
        until("screen lists the call", () -> text("#calls .call[data-ticket=A001] .win").equals("1号窗口"));
        until("announced", () -> spoken().size() == 1);
        assertEquals(List.of("请A001号到1号窗口办理"), spoken());
        until("window 1 shows staff (R12)", () -> text("tr[data-window='1'] .staff").equals("王芳(工号1001)"));
        screenshot("screen");
        screenshot("screen-portrait", 1080, 1920);
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 1920, "height", 1080, "deviceScaleFactor", 1, "mobile", false));
        // A reload announces nothing again (de-duplicated by seq).
        driver.navigate().refresh();
        until("screen current after reload", () -> text("#calls .call[data-ticket=A001] .win").equals("1号窗口"));
        until("online after reload", () -> !driver.findElement(By.id("offline")).isDisplayed());
        assertEquals(List.of(), spoken(), "a reload must not repeat an announcement");
        // A recall repeats the announcement (R14), once.
        driver.switchTo().window(caller);
        driver.findElement(By.cssSelector("button[data-op=recall]")).click();
        driver.switchTo().window(screen);
        until("recall announced", () -> spoken().size() == 1);
        assertEquals(List.of("请A001号到1号窗口办理"), spoken());

        // Evaluator armed by the finish; one rating; stats/today has it.
        driver.switchTo().newWindow(WindowType.TAB);
        String evaluator = driver.getWindowHandle();
        driver.get(base + "/evaluator?window=1" + evaluatorUser);
        until("evaluator online", () -> !driver.findElement(By.id("offline")).isDisplayed());
        assertEquals("idle", driver.findElement(By.tagName("body")).getDomAttribute("data-state"));
        driver.switchTo().window(caller);
        driver.findElement(By.cssSelector("button[data-op=start]")).click();
        until("started", () -> "SERVING".equals(driver.findElement(By.id("state")).getDomAttribute("data-state")));
        driver.findElement(By.cssSelector("button[data-op=done]")).click();
        until("finished", () -> "IDLE".equals(driver.findElement(By.id("state")).getDomAttribute("data-state")));
        driver.switchTo().window(evaluator);
        until("evaluator armed", () -> "armed".equals(driver.findElement(By.tagName("body")).getDomAttribute("data-state")));
        assertTrue(driver.findElements(By.cssSelector("#levels button.selected")).isEmpty(), "nothing pre-selected");
        assertEquals(5, driver.findElements(By.cssSelector("#levels button")).size());
        screenshot("evaluator");
        driver.findElement(By.cssSelector("#levels button[data-level='5']")).click();
        until("evaluator idle again", () -> "idle".equals(driver.findElement(By.tagName("body")).getDomAttribute("data-state")));
        new WebDriverWait(driver, WAIT).withMessage("stats/today: one rating, satisfied").until(d -> {
            JsonNode s = stats.get();
            return s != null && s.path("hall").path("rated").asInt() == 1 && s.path("hall").path("satisfied").asInt() == 1;
        });

        // No touch within evaluatorSeconds: the pad goes back to idle and sends nothing; the
        // transaction stays "not rated", never a default rating (R7).
        driver.switchTo().window(kiosk);
        driver.findElement(By.cssSelector("button[data-category=A]")).click();
        until("kiosk shows A002", () -> text("#number").equals("A002"));
        driver.switchTo().window(caller);
        driver.findElement(By.cssSelector("button[data-op=call-next]")).click();
        until("caller shows A002", () -> text("#current").equals("A002"));
        driver.findElement(By.cssSelector("button[data-op=start]")).click();
        until("A002 started", () -> "SERVING".equals(driver.findElement(By.id("state")).getDomAttribute("data-state")));
        driver.findElement(By.cssSelector("button[data-op=done]")).click();
        until("A002 finished", () -> "IDLE".equals(driver.findElement(By.id("state")).getDomAttribute("data-state")));
        driver.switchTo().window(evaluator);
        until("evaluator armed for A002", () -> "armed".equals(driver.findElement(By.tagName("body")).getDomAttribute("data-state"))
                && "A002".equals(driver.findElement(By.tagName("body")).getDomAttribute("data-ticket")));
        long armedAt = System.nanoTime();
        until("evaluator idle after its time ran out", () -> "idle".equals(driver.findElement(By.tagName("body")).getDomAttribute("data-state")));
        long waited = Duration.ofNanos(System.nanoTime() - armedAt).toSeconds();
        assertTrue(waited >= EVALUATOR_SECONDS - 1, "the pad stayed armed for its time, not " + waited + " s");
        new WebDriverWait(driver, WAIT).withMessage("stats/today: two served, still one rating").until(d -> {
            JsonNode s = stats.get();
            return s != null && s.path("hall").path("served").asInt() == 2;
        });
        // A ticket issued after the pad went idle is the barrier: a rating sent when the time ran
        // out would be in stats/today by the time this ticket is.
        int issued = stats.get().path("hall").path("issued").asInt();
        driver.switchTo().window(kiosk);
        driver.findElement(By.cssSelector("button[data-category=A]")).click();
        until("kiosk shows A003", () -> text("#number").equals("A003"));
        new WebDriverWait(driver, WAIT).withMessage("stats/today counts A003").until(d -> {
            JsonNode s = stats.get();
            return s != null && s.path("hall").path("issued").asInt() == issued + 1;
        });
        assertEquals(1, stats.get().path("hall").path("rated").asInt(), "a pad whose time ran out rated nothing");

        // Broker off → the screen says offline; broker on → current again without a reload.
        driver.switchTo().window(screen);
        rewrite(broker, Map.of("enabled", "false"));
        until("screen offline", () -> driver.findElement(By.id("offline")).isDisplayed());
        screenshot("screen-offline");
        rewrite(broker, Map.of("enabled", "true"));
        until("screen online again", () -> !driver.findElement(By.id("offline")).isDisplayed());
        driver.switchTo().window(kiosk);
        until("kiosk online again", () -> !driver.findElement(By.id("offline")).isDisplayed());
        driver.findElement(By.cssSelector("button[data-category=B]")).click();
        until("kiosk shows B001", () -> text("#number").equals("B001"));
        driver.switchTo().window(screen);
        until("screen current after the outage", () -> text("tr[data-category=B] .waiting").equals("等候 1 人"));
        assertEquals(List.of("请A001号到1号窗口办理", "请A002号到1号窗口办理"), spoken(),
                "the recall and A002's call, nothing announced again after the outage");

        // The web bundle is updated while the pages are open: the queue and the open screen go on,
        // and a page loaded afterwards comes from the new bundle.
        console("lb -s org.openhall.web");
        String id = awaitLine("\\|org\\.openhall\\.web ").replaceAll("^\\s*(\\d+).*", "$1");
        Path webJar = JAR.toAbsolutePath().getParent().getParent().getParent()
                .resolve("bundles/org.openhall.web/target/org.openhall.web-0.1.0-SNAPSHOT.jar");
        assertTrue(Files.isRegularFile(webJar), webJar + " is built by the web module");
        console("update " + id + " " + webJar.toUri());
        console("echo web-bundle-updated");
        awaitLog("web-bundle-updated");
        synchronized (log) {
            assertTrue(log.stream().noneMatch(l -> l.contains("Unable to update")), () -> String.join("\n", log));
        }
        console("lb -s org.openhall.web");
        console("echo web-bundle-listed");
        awaitLog("web-bundle-listed");
        synchronized (log) {
            assertEquals(2, log.stream().filter(l -> l.matches("\\s*" + id + "\\|Active .*org\\.openhall\\.web .*")).count(),
                    "the web bundle is active again after its update");
        }
        driver.switchTo().window(kiosk);
        driver.navigate().refresh();
        until("kiosk page served again", () -> !driver.findElements(By.cssSelector("button[data-category=C]")).isEmpty());
        until("kiosk online after the update", () -> !driver.findElement(By.id("offline")).isDisplayed());
        driver.findElement(By.cssSelector("button[data-category=C]")).click();
        until("kiosk shows C001", () -> text("#number").equals("C001"));
        driver.switchTo().window(screen);
        until("the open screen goes on", () -> text("tr[data-category=C] .waiting").equals("等候 1 人"));
        assertTrue(!driver.findElement(By.id("offline")).isDisplayed());
    }
}
