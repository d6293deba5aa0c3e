package io.streamfleet.alerts.webhook.signing;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * A Standard Webhooks signing secret: {@code whsec_} followed by the base64 of the HMAC key bytes. Receivers'
 * libraries (Svix, standardwebhooks) accept this form as is.
 */
public final class WebhookSecret {

    public static final String PREFIX = "whsec_";
    /** Key length of generated secrets (Standard Webhooks asks for 24 to 64 bytes). */
    public static final int KEY_BYTES = 32;

    private WebhookSecret() {
    }

    public static String generate(SecureRandom random) {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The HMAC key of a secret: the base64-decoded part after {@code whsec_}. */
    public static byte[] keyOf(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + PREFIX);
        }
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
            if (key.length == 0) {
                throw new IllegalArgumentException("a webhook secret needs key bytes after " + PREFIX);
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a webhook secret is " + PREFIX + " followed by base64", e);
        }
    }
}
