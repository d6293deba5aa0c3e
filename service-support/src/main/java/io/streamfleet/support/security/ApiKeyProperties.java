package io.streamfleet.support.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * API keys of a service ({@code streamfleet.security.*}). Outside local mode no key exists until configured.
 *
 * @param keys           configured keys, each with the SHA-256 of its secret
 * @param devKey         local mode only: a plain development key granted every scope (the launcher sets it)
 * @param devKeyRate     rate limit of the development key, requests per second (0 = unlimited)
 */
@ConfigurationProperties("streamfleet.security")
public record ApiKeyProperties(List<KeyEntry> keys, String devKey, @DefaultValue("0") int devKeyRate) {

    public ApiKeyProperties {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }

    /** One configured key. */
    public record KeyEntry(String id, String sha256, Set<String> scopes, @DefaultValue("0") int ratePerSecond) {
    }

    /** All keys in force, the development key included when set. */
    public List<ApiKey> apiKeys() {
        List<ApiKey> all = new ArrayList<>();
        for (KeyEntry entry : keys) {
            all.add(new ApiKey(entry.id(), entry.sha256(), entry.scopes(), entry.ratePerSecond()));
        }
        if (devKey != null && !devKey.isBlank()) {
            all.add(new ApiKey("dev", ApiKeyAuthenticator.sha256Hex(devKey), Scopes.ALL, devKeyRate));
        }
        return all;
    }
}
