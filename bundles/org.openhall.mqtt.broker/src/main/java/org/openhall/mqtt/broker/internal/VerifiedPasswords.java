package org.openhall.mqtt.broker.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.openhall.api.config.Credentials;

/**
 * The broker users' passwords that passed PBKDF2 (issue 12): a screen or kiosk that reconnects
 * with the password it connected with before is let in without the 120,000 iterations again, so
 * that a hall's screens reconnecting together (after a broker restart, a network blip) do not
 * stall the broker's threads for seconds.
 *
 * <p>Kept per user: the configured hash and a SHA-256 of that hash and the password. A connect is
 * a hit only if the user's hash in force is the one remembered and the digest of the password
 * given matches, compared in constant time; anything else runs PBKDF2, and only a success is
 * remembered (one entry per configured user, so the map is bounded by the configuration). A wrong
 * password is never remembered and always pays the full derivation. A changed or removed user
 * drops its entry when the configuration is applied ({@link #retain}), and the hash is part of the
 * digest, so a changed password can never be a hit. Memory only: nothing is written anywhere.
 */
final class VerifiedPasswords {

    private record Entry(String hash, byte[] digest) {
    }

    private final Map<String, Entry> verified = new ConcurrentHashMap<>();
    private final AtomicLong derivations = new AtomicLong();

    /** Whether {@code password} is the one of {@code hash}, the user's configured credential. */
    boolean verify(String user, String hash, byte[] password) {
        byte[] digest = digest(hash, password);
        Entry known = verified.get(user);
        if (known != null && known.hash().equals(hash) && MessageDigest.isEqual(known.digest(), digest)) {
            return true;
        }
        derivations.incrementAndGet();
        boolean ok = Credentials.verify(new String(password, StandardCharsets.UTF_8), hash);
        if (ok) {
            verified.put(user, new Entry(hash, digest));
        }
        return ok;
    }

    /** Forgets every user that is not configured any more with the same hash. */
    void retain(Map<String, String> users) {
        verified.entrySet().removeIf(e -> !e.getValue().hash().equals(users.get(e.getKey())));
    }

    /** How many PBKDF2 derivations ran; for tests and the console. */
    long derivations() {
        return derivations.get();
    }

    private static byte[] digest(String hash, byte[] password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(hash.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(password);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java SE has SHA-256", e);
        }
    }
}
