package org.openhall.api.config;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Secrets in configuration files (staff PINs, R17; the embedded broker's users): never stored in
 * clear, only as salted
 * PBKDF2-HMAC-SHA256 hashes in the format
 * {@code pbkdf2-sha256$<iterations>$<base64 salt>$<base64 hash>} (standard Base64 with padding).
 *
 * <p>{@link #hash(String)} uses a random 16-byte salt, {@value #ITERATIONS} iterations and a
 * 256-bit derived key. {@link #verify(String, String)} honours the iteration count stored in the
 * hash (between 1 and {@value #MAX_ITERATIONS}), compares in constant time and answers
 * {@code false} for anything malformed instead of throwing.
 *
 * <p>The console command {@code hall:hashpin} writes such hashes for configuration files.
 */
public final class Credentials {

    /** Iterations used by {@link #hash(String)}. */
    public static final int ITERATIONS = 120_000;
    /** Upper bound accepted by {@link #verify}: protects against a hash that would take hours. */
    public static final int MAX_ITERATIONS = 10_000_000;

    static final String SCHEME = "pbkdf2-sha256";
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int SALT_BYTES = 16;
    private static final int KEY_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Credentials() {
    }

    /**
     * Hashes a secret with a fresh random salt.
     *
     * @param secret the PIN or password, not empty
     * @return the hash in the format described in the class documentation
     */
    public static String hash(String secret) {
        return hash(secret, ITERATIONS);
    }

    /**
     * Hashes with a chosen iteration count. Package-private: production code uses
     * {@link #hash(String)}; tests use a low count to stay fast. Fewer iterations are weaker:
     * configuration files should hold hashes made by {@link #hash(String)}.
     */
    public static String hash(String secret, int iterations) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("secret is empty");
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations out of range: " + iterations);
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] derived = derive(secret, salt, iterations, KEY_BITS);
        Base64.Encoder b64 = Base64.getEncoder();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(derived);
    }

    /**
     * Checks a secret against a hash written by {@link #hash(String)}.
     *
     * @return true when it matches; false when it does not, when either argument is null or the
     *         hash is malformed
     */
    public static boolean verify(String secret, String hash) {
        if (secret == null || !wellFormed(hash)) {
            return false;
        }
        String[] parts = hash.split("\\$", -1);
        int iterations = Integer.parseInt(parts[1]);
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        byte[] actual = derive(secret, salt, iterations, expected.length * 8);
        boolean equal = MessageDigest.isEqual(expected, actual);
        Arrays.fill(actual, (byte) 0);
        return equal;
    }

    /** Whether {@code hash} has the format {@link #hash(String)} writes (and {@link #verify} accepts). */
    public static boolean wellFormed(String hash) {
        if (hash == null) {
            return false;
        }
        String[] parts = hash.split("\\$", -1);
        if (parts.length != 4 || !SCHEME.equals(parts[0]) || !parts[1].matches("[0-9]{1,9}")) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            Base64.Decoder b64 = Base64.getDecoder();
            byte[] salt = b64.decode(parts[2]);
            byte[] expected = b64.decode(parts[3]);
            return iterations >= 1 && iterations <= MAX_ITERATIONS && salt.length > 0 && expected.length >= 16
                    && expected.length <= 64;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The salt and iteration count of a hash: what a client needs to derive its key (a sign-in challenge). */
    public record Salt(byte[] salt, int iterations) {
    }

    /** The salt and iteration count of {@code hash}, or null when it is malformed. */
    public static Salt salt(String hash) {
        if (!wellFormed(hash)) {
            return null;
        }
        String[] parts = hash.split("\\$", -1);
        return new Salt(Base64.getDecoder().decode(parts[2]), Integer.parseInt(parts[1]));
    }

    /**
     * HMAC-SHA256 of {@code message} keyed with the key derived from {@code secret} (PBKDF2 with
     * the given salt and iterations, 256 bits): what a client computes to prove it knows the
     * secret without sending it.
     */
    public static byte[] proof(String secret, Salt salt, byte[] message) {
        byte[] key = derive(secret, salt.salt(), salt.iterations(), KEY_BITS);
        try {
            return hmac(key, message);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Whether {@code proof} is the {@link #proof} of {@code message} by the secret behind
     * {@code hash} (compared in constant time); false for anything malformed.
     */
    public static boolean verifyProof(byte[] proof, String hash, byte[] message) {
        if (proof == null || message == null || !wellFormed(hash)) {
            return false;
        }
        byte[] key = Base64.getDecoder().decode(hash.split("\\$", -1)[3]);
        if (key.length * 8 != KEY_BITS) {
            return false;
        }
        return MessageDigest.isEqual(hmac(key, message), proof);
    }

    private static byte[] hmac(byte[] key, byte[] message) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static byte[] derive(String secret, byte[] salt, int iterations, int bits) {
        char[] chars = secret.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            // PBKDF2WithHmacSHA256 is mandatory in every Java SE 8+ runtime.
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }
}
