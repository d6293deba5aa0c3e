package io.streamfleet.gateway.publishing;

import io.streamfleet.gateway.intake.PublishFailure;

import java.time.Duration;

/**
 * The {@code Retry-After} advice for a failed publish.
 *
 * @param unavailable when Kafka is down or did not acknowledge (about the circuit breaker's open time)
 * @param saturated   when the bulkhead was full (short: capacity frees up quickly)
 * @param overloaded  when the admission rule refused the publish (the queue drains within max-hold)
 */
public record RetryAfterPolicy(Duration unavailable, Duration saturated, Duration overloaded) {

    /** Overload advised like saturation. */
    public RetryAfterPolicy(Duration unavailable, Duration saturated) {
        this(unavailable, saturated, saturated);
    }

    public Duration after(PublishFailure failure) {
        return switch (failure) {
            case SATURATED -> saturated;
            case OVERLOADED -> overloaded;
            default -> unavailable;
        };
    }

}
