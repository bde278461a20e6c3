package org.openhall.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;

import org.junit.jupiter.api.Test;

class CredentialsTest {

    @Test
    void hashHasTheDocumentedFormatAndVerifies() {
        String h = Credentials.hash("2468");
        String[] parts = h.split("\\$");
        assertEquals(4, parts.length);
        assertEquals("pbkdf2-sha256", parts[0]);
        assertTrue(Integer.parseInt(parts[1]) >= 100_000);
        assertEquals(16, Base64.getDecoder().decode(parts[2]).length);
        assertEquals(32, Base64.getDecoder().decode(parts[3]).length);
        assertTrue(Credentials.verify("2468", h));
        assertFalse(Credentials.verify("2469", h));
        assertFalse(Credentials.verify("", h));
    }

    @Test
    void saltsAreRandom() {
        String a = Credentials.hash("same", 1000);
        String b = Credentials.hash("same", 1000);
        assertNotEquals(a, b);
        assertTrue(Credentials.verify("same", a));
        assertTrue(Credentials.verify("same", b));
    }

    @Test
    void verifyHonoursTheStoredIterationCount() {
        String h = Credentials.hash("密码", 1500);
        assertTrue(h.startsWith("pbkdf2-sha256$1500$"));
        assertTrue(Credentials.verify("密码", h));
        assertFalse(Credentials.verify("密", h));
    }

    @Test
    void malformedHashesAreFalseNotExceptions() {
        String good = Credentials.hash("x", 1000);
        String[] p = good.split("\\$");
        String[] bad = {
            null, "", "x", "pbkdf2-sha256", "pbkdf2-sha256$1000$" + p[2],
            "pbkdf2-sha1$1000$" + p[2] + "$" + p[3],
            "pbkdf2-sha256$abc$" + p[2] + "$" + p[3],
            "pbkdf2-sha256$-5$" + p[2] + "$" + p[3],
            "pbkdf2-sha256$0$" + p[2] + "$" + p[3],
            "pbkdf2-sha256$99999999999$" + p[2] + "$" + p[3],
            "pbkdf2-sha256$1000$!!!$" + p[3],
            "pbkdf2-sha256$1000$" + p[2] + "$%%%",
            "pbkdf2-sha256$1000$$" + p[3],
            "pbkdf2-sha256$1000$" + p[2] + "$" + Base64.getEncoder().encodeToString(new byte[4]),
            good + "$extra",
            "plain-pin-in-clear" };
        for (String h : bad) {
            assertFalse(Credentials.verify("x", h), () -> "accepted " + h);
        }
        assertFalse(Credentials.verify(null, good));
    }

    @Test
    void refusesToHashNothing() {
        assertThrows(IllegalArgumentException.class, () -> Credentials.hash(""));
        assertThrows(IllegalArgumentException.class, () -> Credentials.hash(null));
    }
}
