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

    /**
     * Test hook only: ends every session thread of a running server as issue 17 saw it, with an
     * exception in a session command (SessionEventLoop rethrows it and the thread ends).
     */
    public static void killSessionThreads(Server server) {
        try {
            java.lang.reflect.Field f = Server.class.getDeclaredField("dispatcher");
            f.setAccessible(true);
            PostOffice office = (PostOffice) f.get(server);
            int threads = Runtime.getRuntime().availableProcessors();
            java.util.Set<Integer> done = new java.util.HashSet<>();
            for (int k = 0; done.size() < threads; k++) {
                String id = "openhall-test-breaker-" + k;
                if (done.add(Math.abs(id.hashCode()) % threads)) {
                    office.routeCommand(id, "test: break the session thread", () -> {
                        throw new IllegalArgumentException("increment: 0 (test hook)");
                    });
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
