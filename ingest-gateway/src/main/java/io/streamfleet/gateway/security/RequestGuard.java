package io.streamfleet.gateway.security;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.streamfleet.support.security.ApiKey;
import io.streamfleet.support.security.ApiKeyAuthenticator;
import io.streamfleet.support.security.AuthResult;

import java.time.Duration;

/**
 * Authenticates a request's bearer key, checks the scope and applies the key's own rate limit (requests per second;
 * a Resilience4j rate limiter per key, named {@code api-key-<id>}, so its metrics are exported with the others).
 */
public final class RequestGuard {

    private static final Duration PERIOD = Duration.ofSeconds(1);

    private final ApiKeyAuthenticator authenticator;
    private final RateLimiterRegistry rateLimiters;
    private final String scope;

    public RequestGuard(ApiKeyAuthenticator authenticator, RateLimiterRegistry rateLimiters, String scope) {
        this.authenticator = authenticator;
        this.rateLimiters = rateLimiters;
        this.scope = scope;
    }

    /** Authenticates and charges one request against the key's rate. */
    public GuardDecision check(String authorizationHeader) {
        AuthResult result = authenticator.authenticate(authorizationHeader, scope);
        return switch (result.outcome()) {
            case OK -> admit(result.key());
            case FORBIDDEN -> new GuardDecision(GuardDecision.Outcome.FORBIDDEN, result.key().id(), result.message(),
                    null);
            case UNAUTHENTICATED -> new GuardDecision(GuardDecision.Outcome.UNAUTHENTICATED, null, result.message(),
                    null);
        };
    }

    /** The id of the key a header authenticates with the needed scope, without charging its rate; else null. */
    public String identify(String authorizationHeader) {
        AuthResult result = authenticator.authenticate(authorizationHeader, scope);
        return result.ok() ? result.key().id() : null;
    }

    private GuardDecision admit(ApiKey key) {
        if (key.ratePerSecond() <= 0) {
            return new GuardDecision(GuardDecision.Outcome.OK, key.id(), "ok", null);
        }
        RateLimiter limiter = rateLimiters.rateLimiter("api-key-" + key.id(), RateLimiterConfig.custom()
                .limitForPeriod(key.ratePerSecond()).limitRefreshPeriod(PERIOD).timeoutDuration(Duration.ZERO)
                .build());
        if (limiter.acquirePermission()) {
            return new GuardDecision(GuardDecision.Outcome.OK, key.id(), "ok", null);
        }
        return new GuardDecision(GuardDecision.Outcome.RATE_LIMITED, key.id(), "API key '" + key.id()
                + "' exceeded its rate of " + key.ratePerSecond() + " requests per second", PERIOD);
    }
}
