package org.openhall.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/**
 * Issue 17, point 9: a file saved in another encoding than UTF-8 is rejected with its key and the
 * reason, and a UTF-8 byte order mark is accepted. The files are decoded as FileInstall decodes
 * them (a UTF-8 reader that replaces what it cannot decode); the itests do the same through the
 * real FileInstall.
 */
class ConfigReaderTextTest {

    /** A .cfg file's bytes as FileInstall hands them to Config Admin. */
    static Map<String, Object> decoded(byte[] file) throws IOException {
        Properties p = new Properties();
        p.load(new InputStreamReader(new ByteArrayInputStream(file), StandardCharsets.UTF_8));
        Map<String, Object> map = new HashMap<>();
        p.forEach((k, v) -> map.put(k.toString(), v));
        return map;
    }

    @Test
    void aValueSavedAsGbkIsRefusedNamingItsKey() throws IOException {
        byte[] gbk = "id = demo\nname = 政务服务中心\n".getBytes(Charset.forName("GBK"));
        ConfigReader r = new ConfigReader(decoded(gbk));
        // Every method that can fail, fails first with the garbled key, before a garbled value is used.
        for (ThrowingCall call : new ThrowingCall[] { () -> r.required("id"), r::checkText,
                () -> r.integer("windows", 1, 0, 10), () -> r.bool("enabled", true) }) {
            ConfigProblem p = assertThrows(ConfigProblem.class, call::run);
            assertEquals("name", p.key());
            assertTrue(p.reason().contains("not valid UTF-8"), p.reason());
            assertTrue(p.reason().contains("save the file as UTF-8"), p.reason());
        }
    }

    @Test
    void aKeySavedAsGbkIsRefused() throws IOException {
        ConfigReader r = new ConfigReader(decoded("名称 = x\n".getBytes(Charset.forName("GBK"))));
        ConfigProblem p = assertThrows(ConfigProblem.class, r::checkText);
        assertTrue(p.reason().contains("key is not valid UTF-8"), p.reason());
    }

    @Test
    void utf8TextIsAccepted() throws Exception {
        ConfigReader r = new ConfigReader(decoded("id = demo\nname = 政务服务中心 😀\n".getBytes(StandardCharsets.UTF_8)));
        r.checkText();
        assertEquals("demo", r.required("id"));
        assertEquals("政务服务中心 😀", r.optional("name", null));
    }

    @Test
    void aByteOrderMarkIsAcceptedBeforeAKeyAndBeforeAComment() throws Exception {
        byte[] bom = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };
        ConfigReader first = new ConfigReader(decoded(concat(bom, "id = demo\nname = 大厅\n")));
        assertEquals("demo", first.required("id"), "without the fix: key 'id': is required");
        assertEquals("大厅", first.optional("name", null));

        Map<String, Object> commented = decoded(concat(bom, "# the hall\nid = demo\n"));
        ConfigReader second = new ConfigReader(commented);
        assertEquals("demo", second.required("id"));
        second.checkText();
    }

    static byte[] concat(byte[] head, String tail) {
        byte[] t = tail.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + t.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(t, 0, all, head.length, t.length);
        return all;
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws ConfigProblem;
    }
}
