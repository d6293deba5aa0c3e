package io.streamfleet.gateway.warmup;

import io.streamfleet.support.security.ApiKey;
import io.streamfleet.support.security.ApiKeyAuthenticator;
import io.streamfleet.support.security.Scopes;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The self-warm-up's own API key: a random 256-bit secret made at start, known only to this process. Its hash is
 * given only to the dry-run routes' guard, so it opens nothing that publishes; the real routes never learn of it.
 * The secret is forgotten once the warm-up ended ({@link #forget()}).
 */
public final class WarmUpKey {

    public static final String ID = "gateway-warm-up";

    private final ApiKey apiKey;
    private volatile String secret;

    private WarmUpKey(String secret) {
        this.secret = secret;
        this.apiKey = new ApiKey(ID, ApiKeyAuthenticator.sha256Hex(secret), Set.of(Scopes.EVENTS_WRITE), 0);
    }

    public static WarmUpKey random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return new WarmUpKey(HexFormat.of().formatHex(bytes));
    }

    /** The key as the dry-run guard knows it (hash only). */
    public ApiKey apiKey() {
        return apiKey;
    }

    /** The bearer header value while the warm-up runs. */
    public String bearer() {
        String s = secret;
        if (s == null) {
            throw new IllegalStateException("the warm-up key's secret was already forgotten");
        }
        return "Bearer " + s;
    }

    public void forget() {
        secret = null;
    }
}
