package org.openhall.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ConfigProblemTest {

    @Test
    void theRejectionNamesFileKeyReasonAndConsequence() {
        ConfigProblem p = new ConfigProblem("recalls", "must be 0..10, not -1");
        Map<String, Object> props = Map.of(ConfigReader.FILE_PROPERTY, "file:/hall/etc/org.openhall.policy.noshow.cfg");
        String line = p.rejection(props, ConfigProblem.lastGoodStays(true, "the policy stays inactive"));
        assertEquals(true, line.startsWith("Rejected configuration "), line);
        assertEquals(true, line.contains("org.openhall.policy.noshow.cfg: key 'recalls': must be 0..10, not -1; "
                + "the last good configuration stays in force"), line);
        assertEquals(true, p.rejection(props, ConfigProblem.lastGoodStays(false, "the policy stays inactive"))
                .endsWith("; the policy stays inactive"));
    }
}
