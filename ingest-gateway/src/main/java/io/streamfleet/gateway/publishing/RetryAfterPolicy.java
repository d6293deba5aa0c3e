package io.streamfleet.gateway.publishing;

import io.streamfleet.gateway.intake.PublishFailure;

import java.time.Duration;

/**
 * The {@code Retry-After} advice for a failed publish.
 *
 * @param unavailable when Kafka is down or did not acknowledge (about the circuit breaker's open time)
 * @param saturated   when the bulkhead was full (short: capacity frees up quickly)
 */
public record RetryAfterPolicy(Duration unavailable, Duration saturated) {

    public Duration after(PublishFailure failure) {
        return failure == PublishFailure.SATURATED ? saturated : unavailable;
    }

}
