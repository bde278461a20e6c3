package org.openhall.mqtt.broker.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Checks a password against a stored hash {@code pbkdf2-sha256$<iterations>$<base64 salt>$<base64 hash>},
 * the format of the staff credentials ({@code hall:hashpin} makes one). Never throws.
 */
final class Passwords {

    private static final int MAX_ITERATIONS = 10_000_000;

    private Passwords() {
    }

    static boolean wellFormed(String hash) {
        String[] parts = hash.split("\\$", -1);
        if (parts.length != 4 || !"pbkdf2-sha256".equals(parts[0]) || !parts[1].matches("[0-9]{1,8}")) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] h = Base64.getDecoder().decode(parts[3]);
            return iterations >= 1 && iterations <= MAX_ITERATIONS && salt.length > 0 && h.length >= 16 && h.length <= 64;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static boolean verify(byte[] password, String hash) {
        if (password == null || hash == null || !wellFormed(hash)) {
            return false;
        }
        String[] parts = hash.split("\\$", -1);
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        char[] chars = new String(password, java.nio.charset.StandardCharsets.UTF_8).toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, Integer.parseInt(parts[1]), expected.length * 8);
        try {
            byte[] actual = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            boolean equal = MessageDigest.isEqual(expected, actual);
            Arrays.fill(actual, (byte) 0);
            return equal;
        } catch (GeneralSecurityException e) {
            return false;
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }
}
