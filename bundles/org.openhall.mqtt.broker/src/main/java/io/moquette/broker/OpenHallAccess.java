package io.moquette.broker;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * OpenHall's window into Moquette 0.17's package-private connection state (this class is not part
 * of Moquette; it lives in Moquette's package inside this bundle so that it may read it).
 */
public final class OpenHallAccess {

    /** The attribute under which NewNettyMQTTHandler keeps a channel's MQTTConnection. */
    private static final AttributeKey<Object> CONNECTION = AttributeKey.valueOf("connection");

    private OpenHallAccess() {
    }

    /** Session commands that threw (Moquette 0.17 would have lost the thread each time). */
    public static long failedSessionCommands() {
        return SessionEventLoop.FAILED_COMMANDS.get();
    }

    /**
     * Test hook only: wedges every session thread of a running server (a command that blocks until
     * the server stops), behind the component's back: its clients get no answer any more.
     */
    public static void wedgeSessionThreads(Server server) {
        onEverySessionThread(server, () -> {
            new java.util.concurrent.CountDownLatch(1).await();
            return null;
        });
    }

    /**
     * Test hook only: a failing command on every session thread of a running server, as issue 17
     * saw it (Moquette's own SessionEventLoop ended the thread on it).
     */
    public static void failOnSessionThreads(Server server) {
        onEverySessionThread(server, () -> {
            throw new IllegalArgumentException("increment: 0 (test hook)");
        });
    }

    private static void onEverySessionThread(Server server, java.util.concurrent.Callable<String> command) {
        try {
            java.lang.reflect.Field f = Server.class.getDeclaredField("dispatcher");
            f.setAccessible(true);
            PostOffice office = (PostOffice) f.get(server);
            int threads = Runtime.getRuntime().availableProcessors();
            java.util.Set<Integer> done = new java.util.HashSet<>();
            for (int k = 0; done.size() < threads; k++) {
                String id = "openhall-test-breaker-" + k;
                if (done.add(Math.abs(id.hashCode()) % threads)) {
                    office.routeCommand(id, "test: break the session thread", command);
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Moquette's Server has changed: " + e, e);
        }
    }

    /** Whether Moquette has sent this channel's CONNACK and takes its SUBSCRIBE, PUBLISH … now. */
    public static boolean connected(Channel channel) {
        Object c = channel.attr(CONNECTION).get();
        return c instanceof MQTTConnection && ((MQTTConnection) c).isConnected();
    }
}
