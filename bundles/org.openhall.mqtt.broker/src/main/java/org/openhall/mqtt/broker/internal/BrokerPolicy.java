package org.openhall.mqtt.broker.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may connect, publish and read on the embedded broker (docs/mqtt.md, "The embedded hall
 * broker"), for one running Moquette server. Every refusal is counted in {@link Refusals} and logged
 * once per client and kind (WARN), not once per message.
 *
 * <p>Publishing, in this order: the probe topics only by the broker's own health probe; a command
 * topic ({@code protectedTopics}) only by a user with a password, and, if {@code permissions} names
 * the user, only the commands listed there; the hall's topics ({@code hallTopics}, default
 * {@code openhall/#}) only by the hall's users ({@code hallUsers}), when that key is set; anything
 * else by anyone. Client ids that start with a prefix of {@code hallClientIds} are the hall's: only
 * its users (and the probe) may connect with them, when {@code hallUsers} is set.
 */
final class BrokerPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerComponent.class);

    /** The broker's own health probe: its user, client ids and topics (never configured). */
    static final String PROBE_USER = "openhall-broker-probe";
    static final String PROBE_CLIENT_PREFIX = "openhall-broker-probe-";
    static final String PROBE_TOPIC_ROOT = "openhall-broker/probe/";

    private final BrokerConfig config;
    private final Refusals refusals;
    private final byte[] probeSecret;
    private final VerifiedPasswords passwords;
    /** client id + kind already logged; bounded, so that a client cycling ids cannot fill the heap. */
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    BrokerPolicy(BrokerConfig config, Refusals refusals, String probeSecret, VerifiedPasswords passwords) {
        this.config = config;
        this.refusals = refusals;
        this.probeSecret = probeSecret.getBytes(StandardCharsets.UTF_8);
        this.passwords = passwords;
    }

    BrokerConfig config() {
        return config;
    }

    /** Whether the hall's topics and client ids are reserved for the hall's users (hallUsers is set). */
    boolean hallReserved() {
        return !config.hallUsers().isEmpty();
    }

    /** Moquette's authenticator: called only for a CONNECT with a user name; a missing password is bad credentials. */
    boolean checkPassword(String clientId, String username, byte[] password) {
        boolean ok;
        if (password == null) {
            ok = false;
        } else if (PROBE_USER.equals(username)) {
            ok = MessageDigest.isEqual(password, probeSecret);
        } else {
            String hash = config.users().get(username);
            ok = hash != null && passwords.verify(username, hash, password);
        }
        if (!ok) {
            refuse(Refusals.Kind.CREDENTIALS, clientId, "client {} refused at connect: {} for user '{}'", clientId,
                    password == null ? "no password" : "bad user name or password", username);
        }
        return ok;
    }

    /** Null if the client may connect with this id, else the reason (CONNACK: identifier rejected). */
    String clientIdRefusal(String clientId, String username) {
        if (clientId == null) {
            return null;
        }
        if (clientId.startsWith(PROBE_CLIENT_PREFIX) && !PROBE_USER.equals(username)) {
            return "the client id is reserved for the broker's health probe";
        }
        if (!hallReserved() || PROBE_USER.equals(username) || (username != null && config.hallUsers().contains(username))) {
            return null;
        }
        for (String prefix : config.hallClientIds()) {
            if (clientId.startsWith(prefix)) {
                return "client ids starting '" + prefix + "' are the hall's (hallClientIds), user "
                        + (username == null ? "anonymous" : "'" + username + "'") + " is not one of hallUsers";
            }
        }
        return null;
    }

    void refusedClientId(String clientId, String reason) {
        refuse(Refusals.Kind.CLIENT_ID, clientId, "client {} refused at connect: {}", clientId, reason);
    }

    /** Null if {@code user} (null: anonymous) may publish to {@code topic}, else the reason. */
    String publishRefusal(String topic, String user, String clientId) {
        boolean authenticated = user != null && (config.users().containsKey(user) || PROBE_USER.equals(user));
        if (topic.startsWith(PROBE_TOPIC_ROOT) || PROBE_USER.equals(user)) {
            return PROBE_USER.equals(user) && topic.startsWith(PROBE_TOPIC_ROOT) ? null
                    : "only the broker's health probe publishes to " + PROBE_TOPIC_ROOT + "… (and nowhere else)";
        }
        for (String filter : config.protectedTopics()) {
            if (TopicFilter.matches(filter, topic)) {
                if (!authenticated) {
                    return "not authenticated (" + filter + " is for users with a password)";
                }
                Set<String> allowed = config.permissions().get(user);
                if (allowed == null || allowed.contains("*")) {
                    return null;
                }
                String command = commandName(topic);
                return command != null && allowed.contains(command) ? null
                        : "user '" + user + "' may publish only the commands " + allowed + " (permissions)";
            }
        }
        if (hallReserved()) {
            for (String filter : config.hallTopics()) {
                if (TopicFilter.matches(filter, topic)) {
                    return user != null && config.hallUsers().contains(user) ? null
                            : "only the hall (" + String.join(", ", config.hallUsers()) + ") publishes to " + filter;
                }
            }
        }
        return null;
    }

    void refusedPublish(String topic, String user, String clientId, String reason) {
        refuse(Refusals.Kind.PUBLISH, clientId, "client {} (user {}) may not publish to {}: {}; dropped (this client's"
                + " further refusals are counted, not logged)", clientId, user == null ? "anonymous" : user, topic, reason);
    }

    /** The level after {@code commands}: {@code openhall/v1/demo/commands/call-next} → {@code call-next}. */
    static String commandName(String topic) {
        String[] levels = topic.split("/", -1);
        for (int i = 0; i < levels.length - 1; i++) {
            if (levels[i].equals("commands")) {
                return levels[i + 1];
            }
        }
        return null;
    }

    /**
     * Called by Moquette 0.17 once per subscription, with its filter (not per message): an anonymous
     * subscription whose filter can match a read-protected topic is refused as a whole.
     */
    boolean canRead(String filter, String user, String clientId) {
        if (PROBE_USER.equals(user)) {
            return filter.startsWith(PROBE_TOPIC_ROOT);
        }
        if (user != null && config.users().containsKey(user)) {
            return true;
        }
        for (String p : config.readProtectedTopics()) {
            if (TopicFilter.overlap(filter, p)) {
                refuse(Refusals.Kind.SUBSCRIBE, clientId, "client {} may not subscribe to {}: it can match {}, which only"
                        + " authenticated users may read", clientId, filter, p);
                return false;
            }
        }
        return true;
    }

    private void refuse(Refusals.Kind kind, String clientId, String message, Object... args) {
        long n = refusals.count(kind);
        String key = kind + "|" + clientId;
        if (logged.size() > 10_000) {
            logged.clear();
        }
        if (logged.add(key)) {
            Object[] all = new Object[args.length + 1];
            System.arraycopy(args, 0, all, 0, args.length);
            all[args.length] = n;
            LOG.warn("Embedded MQTT broker: " + message + " [" + kind.label + " refusals so far: {}]", all);
        }
    }

    Map<String, Long> counts() {
        return refusals.snapshot();
    }
}
