package io.streamfleet.support.security;

import java.util.Set;

/**
 * A configured API key: only the SHA-256 hash of the secret is known to the service.
 *
 * @param id              a public name for the key (used in logs, metrics and rate limits; never the secret)
 * @param sha256          lower-case hex SHA-256 of the secret
 * @param scopes          what the key may do, e.g. {@code events:write}, {@code alerts:read}, {@code webhooks:admin}
 * @param ratePerSecond   sustained requests per second allowed for this key (0 = unlimited)
 */
public record ApiKey(String id, String sha256, Set<String> scopes, int ratePerSecond) {

    public ApiKey {
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("an API key needs an id");
        }
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("API key '" + id + "' needs sha256 as 64 lower-case hex characters");
        }
    }

    public boolean allows(String scope) {
        return scopes.contains(scope) || scopes.contains("*");
    }
}
