package org.openhall.mqtt.broker.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.moquette.broker.NettyUtils;
import io.moquette.broker.OpenHallAccess;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.ReferenceCountUtil;

/**
 * A Netty handler in front of Moquette 0.17's MQTT handler, one per connection (Moquette creates
 * it as {@code io.moquette.broker.metrics.MQTTMessageLogger}). It fixes three things Moquette
 * 0.17 gets wrong for the hall:
 *
 * <ol>
 * <li><b>Messages before the CONNACK.</b> MQTT 3.1.1 lets a client send SUBSCRIBE or PUBLISH right
 * behind its CONNECT, without waiting for the CONNACK (§3.1.4). Moquette accepts them only once it
 * has sent the CONNACK ({@code MQTTConnection.connected}, set in the CONNACK's write listener) and
 * drops the connection otherwise. The gate holds every message after the CONNECT, in order, and
 * hands them on once Moquette says the connection is connected; if the CONNECT is refused, they are
 * released with the channel.</li>
 * <li><b>Refused publications.</b> Moquette drops an unauthorised QoS 1 PUBLISH without a PUBACK,
 * so the sender waits for ever, and logs an ERROR per message. MQTT 3.1.1 §3.3.5 lets a server
 * either acknowledge such a message as usual or close the connection [MQTT-3.3.5-2]. The gate
 * acknowledges it (PUBACK for QoS 1, PUBREC for QoS 2; Moquette answers the PUBREL) and drops it:
 * a client closed instead would reconnect and send the same message again for ever (Paho resends
 * unacknowledged messages). The refusal is counted and logged once per client ({@link BrokerPolicy}).</li>
 * <li><b>DUP publications.</b> For a PUBLISH with the DUP flag Moquette 0.17 delivers only to the
 * subscribers it failed to reach the first time; when there were none,
 * {@code PostOffice.publish2Subscribers} calls {@code retain(0)}, which throws
 * {@code IllegalArgumentException: increment: 0} on a session thread, and an exception there ends
 * that thread for good ({@code SessionEventLoop.executeTask} rethrows): every client of that thread
 * then waits for ever and "Session command queue N is full" floods the log. A client resends with
 * DUP after a reconnect (the bridge after a broker restart, under load), which is how the hall lost
 * a session thread (issue 17 point 3). The gate clears the DUP flag: the message goes to every
 * subscriber again, which QoS 1 (at least once) allows.</li>
 * </ol>
 *
 * Which policy applies is found by the port the connection came in on ({@link #register}).
 */
public class ConnectionGate extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGate.class);
    /** Messages a client may send before its CONNACK; more closes the connection. */
    static final int MAX_HELD = 1000;
    /** How long the gate waits for Moquette to finish a CONNECT before it gives up and closes. */
    static final long CONNECT_WAIT_MILLIS = 30_000;

    private static final Map<Integer, BrokerPolicy> POLICIES = new ConcurrentHashMap<>();

    private enum State {
        NEW, CONNECTING, CONNECTED, REFUSED
    }

    private State state = State.NEW; // event loop only
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private long connectingSince;
    private boolean checkScheduled;
    private BrokerPolicy policy;

    /** The policy for connections on a local port (every listener of a server registers its port). */
    static void register(int port, BrokerPolicy policy) {
        POLICIES.put(port, policy);
    }

    static void unregister(int port, BrokerPolicy policy) {
        POLICIES.remove(port, policy);
    }

    private BrokerPolicy policy(ChannelHandlerContext ctx) {
        if (policy == null) {
            SocketAddress local = ctx.channel().localAddress();
            if (local instanceof InetSocketAddress inet) {
                policy = POLICIES.get(inet.getPort());
            }
        }
        return policy;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!(msg instanceof MqttMessage m) || m.decoderResult().isFailure() || m.fixedHeader() == null) {
            ctx.fireChannelRead(msg); // Moquette reports and closes
            return;
        }
        if (LOG.isTraceEnabled()) {
            LOG.trace("C->B {} <{}>", m.fixedHeader().messageType(), NettyUtils.clientID(ctx.channel()));
        }
        switch (state) {
        case NEW -> {
            if (m instanceof MqttConnectMessage connect) {
                onConnect(ctx, connect);
            } else {
                ctx.fireChannelRead(msg);
            }
        }
        case CONNECTING -> hold(ctx, msg);
        case CONNECTED -> {
            if (!held.isEmpty()) {
                hold(ctx, msg); // keep the order while the held ones are being released
            } else {
                pass(ctx, m);
            }
        }
        case REFUSED -> ReferenceCountUtil.release(msg);
        }
    }

    private void onConnect(ChannelHandlerContext ctx, MqttConnectMessage connect) {
        String clientId = connect.payload().clientIdentifier();
        String user = connect.variableHeader().hasUserName() ? connect.payload().userName() : null;
        BrokerPolicy p = policy(ctx);
        String refusal = p == null ? null : p.clientIdRefusal(clientId, user);
        if (refusal != null) {
            state = State.REFUSED;
            p.refusedClientId(clientId, refusal);
            ReferenceCountUtil.release(connect);
            MqttConnAckMessage nack = new MqttConnAckMessage(
                    new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                    new MqttConnAckVariableHeader(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, false));
            ctx.writeAndFlush(nack).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        state = State.CONNECTING;
        connectingSince = System.nanoTime();
        ctx.fireChannelRead(connect);
    }

    private void hold(ChannelHandlerContext ctx, Object msg) {
        if (held.size() >= MAX_HELD) {
            LOG.warn("Embedded MQTT broker: client {} sent more than {} messages before its CONNACK; closed",
                    NettyUtils.clientID(ctx.channel()), MAX_HELD);
            ReferenceCountUtil.release(msg);
            releaseHeld();
            state = State.REFUSED;
            ctx.close();
            return;
        }
        held.add(msg);
        scheduleCheck(ctx, 0);
    }

    private void scheduleCheck(ChannelHandlerContext ctx, long delayMillis) {
        if (checkScheduled) {
            return;
        }
        checkScheduled = true;
        ctx.executor().schedule(() -> {
            checkScheduled = false;
            check(ctx);
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** On the event loop: hands the held messages on once Moquette has sent the CONNACK. */
    private void check(ChannelHandlerContext ctx) {
        if (held.isEmpty() || state == State.REFUSED) {
            return;
        }
        if (!ctx.channel().isActive()) {
            releaseHeld();
            return;
        }
        if (state == State.CONNECTING && !OpenHallAccess.connected(ctx.channel())) {
            if (System.nanoTime() - connectingSince > TimeUnit.MILLISECONDS.toNanos(CONNECT_WAIT_MILLIS)) {
                LOG.warn("Embedded MQTT broker: no CONNACK for client {} within {} ms; closed",
                        NettyUtils.clientID(ctx.channel()), CONNECT_WAIT_MILLIS);
                releaseHeld();
                state = State.REFUSED;
                ctx.close();
                return;
            }
            scheduleCheck(ctx, 2); // Moquette finishes the CONNECT on its session thread
            return;
        }
        state = State.CONNECTED;
        while (!held.isEmpty() && ctx.channel().isActive()) {
            pass(ctx, (MqttMessage) held.poll());
        }
        releaseHeld();
        ctx.fireChannelReadComplete(); // Moquette flushes its queues on read complete
    }

    /** A message of a connected client: publications are checked and lose their DUP flag. */
    private void pass(ChannelHandlerContext ctx, MqttMessage m) {
        if (!(m instanceof MqttPublishMessage publish)) {
            ctx.fireChannelRead(m);
            return;
        }
        MqttFixedHeader h = publish.fixedHeader();
        BrokerPolicy p = policy(ctx);
        String topic = publish.variableHeader().topicName();
        String user = NettyUtils.userName(ctx.channel());
        String clientId = NettyUtils.clientID(ctx.channel());
        String refusal = p == null ? null : p.publishRefusal(topic, user, clientId);
        if (refusal != null) {
            p.refusedPublish(topic, user, clientId, refusal);
            int id = publish.variableHeader().packetId();
            ReferenceCountUtil.release(publish);
            if (h.qosLevel() == MqttQoS.AT_LEAST_ONCE || h.qosLevel() == MqttQoS.EXACTLY_ONCE) {
                MqttMessageType type = h.qosLevel() == MqttQoS.AT_LEAST_ONCE ? MqttMessageType.PUBACK : MqttMessageType.PUBREC;
                ctx.writeAndFlush(new MqttPubAckMessage(new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, 0),
                        MqttMessageIdVariableHeader.from(id)));
            }
            return;
        }
        if (h.isDup()) {
            publish = new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, h.qosLevel(), h.isRetain(),
                    h.remainingLength()), publish.variableHeader(), publish.payload());
        }
        ctx.fireChannelRead(publish);
    }

    private void releaseHeld() {
        Object o;
        while ((o = held.poll()) != null) {
            ReferenceCountUtil.release(o);
        }
    }

    /** A client that fails the TLS handshake (it does not trust the broker): one WARN line, not Moquette's stack trace. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() instanceof javax.net.ssl.SSLException) {
            LOG.warn("Embedded MQTT broker: TLS handshake with {} failed: {}", ctx.channel().remoteAddress(),
                    cause.getCause().getMessage());
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseHeld();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseHeld();
    }
}
