package io.streamfleet.alerts.config;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.streamfleet.alerts.webhook.WebhookSettings;
import io.streamfleet.alerts.webhook.policy.RetryPolicy;
import io.streamfleet.contracts.topic.Topics;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code streamfleet.alerts.webhooks.*}. The retry defaults spread 8 attempts over about four hours
 * (5 s, 20 s, 80 s, 5 min, 21 min, 85 min, 2 h), like commercial webhook services.
 *
 * @param allowPrivateTargets     allow loopback/private/link-local targets (local mode only)
 * @param subscriptionsTopic      compacted topic of subscriptions
 * @param deadLetterTopic         dead letters
 * @param attemptsTopic           attempt log
 * @param groupId                 consumer group of the dispatcher (instances share the work)
 * @param autoOffsetReset         where a new group starts: latest (only alerts after the first start) or earliest
 * @param maxAttempts             attempts per delivery, the first included
 * @param initialBackoff          delay after the first failure
 * @param backoffMultiplier       growth per failure
 * @param maxBackoff              longest delay (also caps Retry-After)
 * @param jitter                  fraction of each delay randomized away
 * @param requestTimeout          whole-request timeout of one attempt
 * @param connectTimeout          TCP connect timeout
 * @param deliveryThreads         threads running attempts and retry timers
 * @param maxConcurrentPerEndpoint requests in flight per endpoint; further attempts wait their turn
 * @param maxInFlightPerPartition unfinished alerts per partition before the partition is paused
 * @param rotationGrace           default time the previous secret keeps signing after a rotation
 * @param maxRotationGrace        longest grace a rotation may ask for
 * @param logRetention            how far back the attempt log and dead letters are re-read on start
 * @param attemptsPerSubscription attempt log entries kept per subscription
 * @param deadLettersPerSubscription dead letters kept (and redeliverable) per subscription
 * @param circuit                 per-endpoint circuit breaker
 */
@ConfigurationProperties("streamfleet.alerts.webhooks")
public record WebhookProperties(
        @DefaultValue("false") boolean allowPrivateTargets,
        @DefaultValue(Topics.WEBHOOK_SUBSCRIPTIONS) String subscriptionsTopic,
        @DefaultValue(Topics.WEBHOOK_DEAD_LETTER) String deadLetterTopic,
        @DefaultValue(Topics.WEBHOOK_ATTEMPTS) String attemptsTopic,
        @DefaultValue("alert-api-webhooks") String groupId,
        @DefaultValue("latest") String autoOffsetReset,
        @DefaultValue("8") int maxAttempts,
        @DefaultValue("5s") Duration initialBackoff,
        @DefaultValue("4") double backoffMultiplier,
        @DefaultValue("2h") Duration maxBackoff,
        @DefaultValue("0.2") double jitter,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("4") int deliveryThreads,
        @DefaultValue("8") int maxConcurrentPerEndpoint,
        @DefaultValue("5000") int maxInFlightPerPartition,
        @DefaultValue("24h") Duration rotationGrace,
        @DefaultValue("7d") Duration maxRotationGrace,
        @DefaultValue("7d") Duration logRetention,
        @DefaultValue("1000") int attemptsPerSubscription,
        @DefaultValue("10000") int deadLettersPerSubscription,
        @DefaultValue Circuit circuit) {

    public RetryPolicy retryPolicy() {
        return new RetryPolicy(maxAttempts, initialBackoff, backoffMultiplier, maxBackoff, jitter);
    }

    public WebhookSettings settings() {
        return new WebhookSettings(rotationGrace, maxRotationGrace);
    }

    /**
     * @param failureRateThreshold percentage of failed calls that opens the circuit
     * @param slidingWindowSize    calls considered
     * @param minimumCalls         calls needed before the rate counts
     * @param openFor              how long the circuit stays open before trial calls
     * @param halfOpenCalls        trial calls in half-open state
     */
    public record Circuit(@DefaultValue("50") float failureRateThreshold, @DefaultValue("20") int slidingWindowSize,
                          @DefaultValue("10") int minimumCalls, @DefaultValue("30s") Duration openFor,
                          @DefaultValue("3") int halfOpenCalls) {

        public CircuitBreakerConfig config() {
            return CircuitBreakerConfig.custom()
                    .failureRateThreshold(failureRateThreshold)
                    .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .slidingWindowSize(slidingWindowSize)
                    .minimumNumberOfCalls(minimumCalls)
                    .waitDurationInOpenState(openFor)
                    .permittedNumberOfCallsInHalfOpenState(halfOpenCalls)
                    .automaticTransitionFromOpenToHalfOpenEnabled(true)
                    .build();
        }
    }
}
