package org.openhall.mqtt.bridge.internal.publisher;

import java.nio.charset.StandardCharsets;

/**
 * Which topic names the hall can publish to: the rules of MQTT 3.1.1 (section 1.5.3 and 4.7) and,
 * where it is stricter, what Paho 1.2.5 can encode. Paho checks a topic only when its sender
 * thread encodes the PUBLISH; a topic it refuses there drops the connection instead of failing
 * the publish, so a message with such a topic would block the outbox for ever. Every topic is
 * checked here first: by the command parser for {@code replyTo} and by the publisher before
 * each message.
 *
 * <p>Paho's encoder refuses ISO control characters (U+0000–U+001F, U+007F–U+009F) and, by
 * defects of 1.2.5, every surrogate pair (so no character outside the Basic Multilingual Plane,
 * such as an emoji) and every character from U+FDD0 up (meant were the noncharacters; refused are
 * also the fullwidth forms U+FF01–U+FF5E that Chinese input methods type). It lets a lone high
 * surrogate through, which Java then encodes as '?', a different topic: refused here too.
 * {@code TopicNamesTest} checks every character against Paho's own encoder.
 */
public final class TopicNames {

    /** Longest topic name of MQTT, in UTF-8 bytes. */
    public static final int MAX_BYTES = 65_535;

    private TopicNames() {
    }

    /**
     * Why {@code topic} cannot be published to, or null when it can.
     *
     * @param topic a topic name (not a filter)
     */
    public static String problem(String topic) {
        if (topic == null || topic.isEmpty()) {
            return "the topic is empty";
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '#' || c == '+') {
                return "the topic has the wildcard '" + c + "' at " + i;
            }
            if (Character.isISOControl(c)) {
                return String.format("the topic has the control character U+%04X at %d", (int) c, i);
            }
            if (Character.isSurrogate(c)) {
                return "the topic has a character outside the Basic Multilingual Plane or a lone surrogate at " + i;
            }
            if (c >= '\uFDD0') {
                return String.format("the topic has U+%04X at %d (the MQTT client refuses U+FDD0 and above)", (int) c, i);
            }
        }
        if (topic.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "the topic is longer than " + MAX_BYTES + " bytes";
        }
        return null;
    }

    /** Whether {@code topic} can be published to. */
    public static boolean valid(String topic) {
        return problem(topic) == null;
    }
}
