package org.openhall.itests;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The end-to-end benchmark of issue 12 (bin/bench, docs/benchmarks.md), against the shipped jar
 * with the demo hall's configuration and its embedded broker on free ports, each row with its
 * baseline in the same run: JVM start → READY vs bare Felix; issue-ticket → reply one at a time vs
 * a broker echo; 8 clients each waiting for its reply vs 8 echo clients. Not a test: it asserts
 * nothing and prints figures. Options (system properties): bench.starts (5), bench.commands
 * (1000), bench.clientCommands (300 per client), bench.jvm (extra JVM options of the hall).
 */
public final class EndToEndBenchmark {

    static final int STARTS = Integer.getInteger("bench.starts", 5);
    static final int COMMANDS = Integer.getInteger("bench.commands", 1000);
    static final int CLIENT_COMMANDS = Integer.getInteger("bench.clientCommands", 300);
    static final int CLIENTS = 8;
    static final Duration START = Duration.ofSeconds(120);
    static final String ROOT = "openhall/v1/demo";

    public static void main(String[] args) throws Exception {
        Path tmp = Files.createTempDirectory("openhall-bench");
        String[] jvm = jvmOptions();
        System.out.printf("OpenHall end-to-end benchmark: %s, %d cores, Java %s; hall JVM options %s%n",
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), Runtime.version(), Arrays.toString(jvm));

        // 1. start → READY, alternating hall and bare Felix so that machine load hits both alike.
        long[] hall = new long[STARTS];
        long[] felix = new long[STARTS];
        for (int i = 0; i < STARTS; i++) {
            Path home = benchHome(tmp.resolve("start-" + i), freePort(), freePort());
            try (HallProcess h = HallProcess.startJar(home, jvm)) {
                hall[i] = Long.parseLong(h.await(HallProcess.READY, START).group(1));
                h.terminate(Duration.ofSeconds(10));
            }
            felix[i] = bareFelix();
        }
        double hallMedian = median(hall);
        double felixMedian = median(felix);
        System.out.printf("start → READY    hall median %.0f ms %s | bare Felix median %.0f ms %s | ratio %.1f×%n",
                hallMedian, Arrays.toString(hall), felixMedian, Arrays.toString(felix), hallMedian / felixMedian);

        // 2. and 3. commands against a running hall.
        int port = freePort();
        Path home = benchHome(tmp.resolve("commands"), port, freePort());
        try (HallProcess h = HallProcess.startJar(home, jvm)) {
            h.await(HallProcess.READY, START);
            String uri = "tcp://127.0.0.1:" + port;
            try (Bench issue = new Bench(uri, "bench-kiosk", "kiosk1", "demo-kiosk", true);
                    Bench echo = new Bench(uri, "bench-echo", null, null, false)) {
                issue.run(200, issue::issue); // warm up both paths
                echo.run(200, echo::echo);
                long[] issued = issue.run(COMMANDS, issue::issue);
                long[] echoed = echo.run(COMMANDS, echo::echo);
                System.out.printf("issue-ticket     p50 %.2f ms, p99 %.2f ms | broker echo p50 %.2f ms, p99 %.2f ms"
                        + " | ratio p50 %.1f×, p99 %.1f× (%d commands, %d lost replies)%n",
                        pct(issued, 50), pct(issued, 99), pct(echoed, 50), pct(echoed, 99),
                        pct(issued, 50) / pct(echoed, 50), pct(issued, 99) / pct(echoed, 99), COMMANDS, issue.lost.get());
            }
            double hallRate = rate(uri, true);
            double echoRate = rate(uri, false);
            System.out.printf("8 clients        hall %.0f commands/s | broker echo %.0f round trips/s | ratio %.2f%n",
                    hallRate, echoRate, hallRate / echoRate);
            h.terminate(Duration.ofSeconds(10));
        }
    }

    /** Commands per second of 8 clients, each waiting for its reply before the next. */
    static double rate(String uri, boolean hall) throws Exception {
        List<Bench> clients = new ArrayList<>();
        try {
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(hall ? new Bench(uri, "bench-kiosk-" + c, "kiosk1", "demo-kiosk", true)
                        : new Bench(uri, "bench-echo-" + c, null, null, false));
            }
            CountDownLatch done = new CountDownLatch(CLIENTS);
            AtomicLong lost = new AtomicLong();
            long t0 = System.nanoTime();
            for (Bench b : clients) {
                Thread t = new Thread(() -> {
                    try {
                        b.run(CLIENT_COMMANDS, hall ? b::issue : b::echo);
                    } catch (Exception e) {
                        lost.incrementAndGet();
                    } finally {
                        done.countDown();
                    }
                });
                t.setDaemon(true);
                t.start();
            }
            done.await(10, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long lostReplies = clients.stream().mapToLong(b -> b.lost.get()).sum() + lost.get();
            if (lostReplies > 0) {
                System.out.printf("  (%s: %d replies lost or late)%n", hall ? "hall" : "echo", lostReplies);
            }
            return CLIENTS * CLIENT_COMMANDS / seconds;
        } finally {
            for (Bench b : clients) {
                b.close();
            }
        }
    }

    /** Paho's sockets with TCP_NODELAY: else Nagle and delayed ACKs add ~40 ms to every round trip. */
    static final javax.net.SocketFactory NO_DELAY = new javax.net.SocketFactory() {
        private java.net.Socket noDelay(java.net.Socket s) throws IOException {
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public java.net.Socket createSocket() throws IOException {
            return noDelay(new java.net.Socket());
        }

        @Override
        public java.net.Socket createSocket(String host, int port) throws IOException {
            return noDelay(new java.net.Socket(host, port));
        }

        @Override
        public java.net.Socket createSocket(String host, int port, java.net.InetAddress local, int localPort)
                throws IOException {
            return noDelay(new java.net.Socket(host, port, local, localPort));
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress host, int port) throws IOException {
            return noDelay(new java.net.Socket(host, port));
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress host, int port, java.net.InetAddress local,
                int localPort) throws IOException {
            return noDelay(new java.net.Socket(host, port, local, localPort));
        }
    };

    /** One MQTT client that sends a message and waits for its answer. */
    static final class Bench implements AutoCloseable {
        final MqttClient client;
        final String id;
        final Map<String, ArrayBlockingQueue<Long>> waiting = new ConcurrentHashMap<>();
        final AtomicLong lost = new AtomicLong();
        long counter;

        Bench(String uri, String id, String user, String password, boolean replies) throws Exception {
            this.id = id;
            client = new MqttClient(uri, id, new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            o.setMaxInflight(1000);
            o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            o.setSocketFactory(NO_DELAY);
            if (user != null) {
                o.setUserName(user);
                o.setPassword(password.toCharArray());
            }
            client.connect(o);
            String topic = replies ? ROOT + "/replies/" + id : "bench/echo/" + id;
            client.subscribe(topic, 1, (t, m) -> {
                String payload = new String(m.getPayload(), StandardCharsets.UTF_8);
                int i = payload.indexOf("\"requestId\":\"");
                if (i >= 0) {
                    String rid = payload.substring(i + 13, payload.indexOf('"', i + 13));
                    ArrayBlockingQueue<Long> q = waiting.get(rid);
                    if (q != null) {
                        q.offer(payload.contains("\"ok\":true") || !replies ? System.nanoTime() : -1L);
                    }
                }
            });
        }

        /** Latencies in nanoseconds of n round trips. */
        long[] run(int n, IntFunction<String> send) throws Exception {
            long[] ns = new long[n];
            for (int i = 0; i < n; i++) {
                String rid = id + "-" + (++counter);
                ArrayBlockingQueue<Long> q = new ArrayBlockingQueue<>(1);
                waiting.put(rid, q);
                long t0 = System.nanoTime();
                String topic = send.apply(0);
                client.publish(topic, ("{\"requestId\":\"" + rid + "\",\"clientId\":\"" + id + "\",\"category\":\""
                        + category() + "\"}").getBytes(StandardCharsets.UTF_8), 1, false);
                Long t1 = q.poll(5, TimeUnit.SECONDS);
                waiting.remove(rid);
                if (t1 == null || t1 < 0) {
                    lost.incrementAndGet();
                    ns[i] = TimeUnit.SECONDS.toNanos(5);
                } else {
                    ns[i] = t1 - t0;
                }
            }
            return ns;
        }

        /** Spread over the demo hall's categories (four-digit numbers in the bench home). */
        String category() {
            return String.valueOf((char) ('A' + (counter % 3)));
        }

        String issue(int ignored) {
            return ROOT + "/commands/issue-ticket";
        }

        String echo(int ignored) {
            return "bench/echo/" + id;
        }

        @Override
        public void close() throws Exception {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
            client.close();
        }
    }

    /** The demo hall's etc/ with the broker on the given ports and four-digit ticket numbers. */
    static Path benchHome(Path parent, int port, int wsPort) throws IOException {
        Path home = HallProcess.demoHome(parent);
        Path etc = home.resolve("etc");
        replace(etc.resolve("org.openhall.mqtt.broker.cfg"), "(?m)^port = 1883$", "port = " + port);
        replace(etc.resolve("org.openhall.mqtt.broker.cfg"), "(?m)^websocketPort = 8083$", "websocketPort = " + wsPort);
        replace(etc.resolve("org.openhall.mqtt.connection-local.cfg"), "tcp://127.0.0.1:1883", "tcp://127.0.0.1:" + port);
        for (String c : List.of("A", "B", "C")) {
            Path f = etc.resolve("org.openhall.category-" + c + ".cfg");
            Files.writeString(f, Files.readString(f, StandardCharsets.UTF_8) + "\nnumberDigits = 4\n",
                    StandardCharsets.UTF_8);
        }
        return home;
    }

    static void replace(Path file, String regex, String with) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        String t = s.replaceAll(regex, with);
        if (s.equals(t)) {
            throw new IllegalStateException(file + " has no " + regex);
        }
        Files.writeString(file, t, StandardCharsets.UTF_8);
    }

    static long bareFelix() throws Exception {
        String felixJar = Path.of(Class.forName("org.apache.felix.framework.FrameworkFactory").getProtectionDomain()
                .getCodeSource().getLocation().toURI()).toString();
        String self = Path.of(BareFelix.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmOptions()));
        command.addAll(List.of("-cp", felixJar + java.io.File.pathSeparator + self, BareFelix.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        java.util.regex.Matcher m = HallProcess.READY.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("bare Felix printed: " + out);
        }
        return Long.parseLong(m.group(1));
    }

    /** The hall's JVM options: bin/run's (jvm=(…)), then bench.jvm. */
    static String[] jvmOptions() throws Exception {
        List<String> o = new ArrayList<>(RuntimeProcessTest.runScriptJvmOptions());
        String extra = System.getProperty("bench.jvm", "").trim();
        if (!extra.isEmpty()) {
            o.addAll(List.of(extra.split("\\s+")));
        }
        return o.toArray(String[]::new);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    static double pct(long[] ns, int p) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)] / 1e6;
    }
}
