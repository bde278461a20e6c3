package org.openhall.api.queue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

import org.openhall.api.config.Credentials;

/**
 * A one-time challenge for signing in without sending the PIN (R17), for callers that talk to
 * the hall over a channel others may read (MQTT on an open broker): the client derives a key from
 * the PIN with the challenge's salt and iterations (PBKDF2-HMAC-SHA256, 256 bits), signs the
 * {@link #message() message} with it (HMAC-SHA256) and passes {@link #credential(String)} to
 * {@link HallQueue#openWindow}. The nonce is good for one sign-in at this window by this staff
 * member until {@code expiresAt}. docs/queue.md, "Signing in", describes it step by step.
 *
 * <p>What a reader of the channel learns (salt, nonce, proof) lets it test PINs offline at the
 * cost of one PBKDF2 derivation each: a PIN of 4 digits falls in minutes, so halls that sign in
 * over an open channel use PINs of 6 digits or more.
 *
 * @param windowId   the window to open
 * @param staffId    who signs in
 * @param nonce      random, URL-safe Base64 without padding
 * @param salt       the salt of the staff member's credential, standard Base64
 * @param iterations the PBKDF2 iteration count of the staff member's credential
 * @param expiresAt  when the nonce can no longer be used
 */
public record SignInChallenge(String windowId, String staffId, String nonce, String salt, int iterations,
        Instant expiresAt) {

    /** The scheme that starts a credential made by {@link #credential(String)}. */
    public static final String SCHEME = "hmac-sha256";
    /** What the signed message starts with. */
    static final String CONTEXT = "openhall-sign-in";

    public SignInChallenge {
        Objects.requireNonNull(windowId, "windowId");
        Objects.requireNonNull(staffId, "staffId");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** What the client signs: {@code openhall-sign-in$<nonce>$<windowId>$<staffId>} in UTF-8. */
    public byte[] message() {
        return message(nonce, windowId, staffId);
    }

    static byte[] message(String nonce, String windowId, String staffId) {
        return (CONTEXT + "$" + nonce + "$" + windowId + "$" + staffId).getBytes(StandardCharsets.UTF_8);
    }

    /** The credential for {@link HallQueue#openWindow}: {@code hmac-sha256$<nonce>$<Base64 proof>}. */
    public String credential(String proofBase64) {
        return SCHEME + "$" + nonce + "$" + proofBase64;
    }

    /** What a client computes from the PIN: the credential that answers this challenge. */
    public String answer(String pin) {
        byte[] proof = Credentials.proof(pin, new Credentials.Salt(Base64.getDecoder().decode(salt), iterations),
                message());
        return credential(Base64.getEncoder().encodeToString(proof));
    }

    /** Whether {@code credential} has the form {@link #credential(String)} makes. */
    public static boolean isAnswer(String credential) {
        return credential != null && credential.startsWith(SCHEME + "$");
    }

    /** The nonce of a credential made by {@link #credential(String)}, or null. */
    public static String nonceOf(String credential) {
        if (!isAnswer(credential)) {
            return null;
        }
        String[] parts = credential.split("\\$", -1);
        return parts.length == 3 ? parts[1] : null;
    }

    /**
     * Whether {@code credential} answers the challenge {@code nonce} for this window and staff
     * member with the secret behind {@code credentialHash}. Whether the nonce was issued, is
     * unexpired and unused is the hall's to check.
     */
    public static boolean verify(String credential, String windowId, String staffId, String credentialHash) {
        String nonce = nonceOf(credential);
        if (nonce == null) {
            return false;
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(credential.substring(credential.lastIndexOf('$') + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return Credentials.verifyProof(proof, credentialHash, message(nonce, windowId, staffId));
    }
}
