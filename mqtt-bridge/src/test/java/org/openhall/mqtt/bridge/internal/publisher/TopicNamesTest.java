package org.openhall.mqtt.bridge.internal.publisher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttTopic;
import org.eclipse.paho.client.mqttv3.internal.wire.MqttPublish;
import org.junit.jupiter.api.Test;

/**
 * {@link TopicNames} accepts exactly the topic names that Paho 1.2.5 can publish: checked against
 * Paho's own topic check and its encoder of PUBLISH packets (outside OSGi, where its internal
 * wire package can be reached), for every character of the Basic Multilingual Plane and for
 * surrogate pairs.
 */
class TopicNamesTest {

    /** What Paho does with a topic: null when it encodes a PUBLISH to it, else why not. */
    static String paho(String topic) {
        try {
            MqttTopic.validate(topic, false);
            new MqttPublish(topic, new MqttMessage(new byte[] { 1 })).getHeader();
            return null;
        } catch (IllegalArgumentException | MqttException e) {
            return String.valueOf(e.getMessage());
        }
    }

    /**
     * No topic accepted here is refused by Paho (that would be a poison message), and the only
     * characters refused here that Paho takes are lone high surrogates, which it would send as '?'.
     */
    @Test
    void everyCharacterIsJudgedAsPahoJudgesIt() {
        List<String> laxer = new ArrayList<>();
        int stricter = 0;
        for (int c = 1; c <= 0xFFFF; c++) {
            String topic = "openhall/v1/demo/replies/a" + (char) c + "b";
            boolean ours = TopicNames.valid(topic);
            boolean theirs = paho(topic) == null;
            if (ours && !theirs) {
                laxer.add(String.format("U+%04X", c));
            } else if (!ours && theirs) {
                assertTrue(Character.isHighSurrogate((char) c), String.format("U+%04X refused here only", c));
                stricter++;
            }
        }
        assertEquals(List.of(), laxer, "accepted here, refused by Paho");
        assertEquals(0xDBFF - 0xD800 + 1, stricter);
    }

    @Test
    void pairsControlsAndWildcardsAsPahoJudgesThem() {
        for (String t : List.of("a/\uD83D\uDE00", "a\uDC00", "\u0000", "a\tb", "a#", "a/+/b", "", "屏幕/一号", "a/\uFF21",
                "a".repeat(65_535), "一".repeat(21_845), "一".repeat(21_846))) {
            assertEquals(paho(t) == null, TopicNames.valid(t), () -> "topic of length " + t.length() + ": " + paho(t));
        }
        assertNull(TopicNames.problem("openhall/v1/demo/replies/kiosk-1"));
        assertTrue(TopicNames.problem("hall\tscreen").contains("U+0009"));
        assertFalse(TopicNames.valid(null));
    }
}
