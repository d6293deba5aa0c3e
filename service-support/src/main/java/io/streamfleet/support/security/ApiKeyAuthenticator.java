package io.streamfleet.support.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks {@code Authorization: Bearer <key>} against configured key hashes and a required scope. Pure Java, shared by
 * the gateway and alert-api; hashes are compared in constant time.
 */
public final class ApiKeyAuthenticator {

    private static final String BEARER = "Bearer ";
    private final Map<String, ApiKey> keysByHash;

    public ApiKeyAuthenticator(List<ApiKey> keys) {
        this.keysByHash = keys.stream().collect(Collectors.toUnmodifiableMap(ApiKey::sha256, Function.identity(),
                (a, b) -> {
                    throw new IllegalArgumentException("API keys '" + a.id() + "' and '" + b.id() + "' share a hash");
                }));
    }

    public AuthResult authenticate(String authorizationHeader, String requiredScope) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return new AuthResult(AuthResult.Outcome.UNAUTHENTICATED, null,
                    "missing Authorization header; send 'Authorization: Bearer <api key>'");
        }
        if (!authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return new AuthResult(AuthResult.Outcome.UNAUTHENTICATED, null,
                    "unsupported Authorization scheme; send 'Authorization: Bearer <api key>'");
        }
        String secret = authorizationHeader.substring(BEARER.length()).trim();
        ApiKey key = find(sha256Hex(secret));
        if (key == null) {
            return new AuthResult(AuthResult.Outcome.UNAUTHENTICATED, null, "unknown API key");
        }
        if (!key.allows(requiredScope)) {
            return new AuthResult(AuthResult.Outcome.FORBIDDEN, key,
                    "API key '" + key.id() + "' lacks the scope '" + requiredScope + "'");
        }
        return new AuthResult(AuthResult.Outcome.OK, key, "ok");
    }

    private ApiKey find(String hash) {
        byte[] candidate = hash.getBytes(StandardCharsets.US_ASCII);
        ApiKey found = null;
        for (Map.Entry<String, ApiKey> entry : keysByHash.entrySet()) {
            if (MessageDigest.isEqual(candidate, entry.getKey().getBytes(StandardCharsets.US_ASCII))) {
                found = entry.getValue();
            }
        }
        return found;
    }

    /** Lower-case hex SHA-256 of a secret, the form in which keys are configured. */
    public static String sha256Hex(String secret) {
        return HEX.formatHex(SHA_256.get().digest(secret.getBytes(StandardCharsets.UTF_8)));
    }

    private static final HexFormat HEX = HexFormat.of();

    /** One digest per thread: the provider look-up of getInstance costs more than hashing a key, on every request. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    });
}
