package io.streamfleet.alerts.webhook;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamfleet.alerts.feed.FeedMetrics;
import io.streamfleet.alerts.webhook.model.DeliveryAttempt;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Webhook meters: attempts by outcome, attempt duration, delivery latency (alert consumed → 2xx), retries pending,
 * dead letters, endpoints per circuit state, subscriptions, end-to-end latency (channel=webhook).
 */
public final class WebhookMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger retriesPending = new AtomicInteger();
    private final Timer attemptDuration;
    private final Timer deliveryLatency;
    private final Timer endToEnd;
    private final Counter deadLetters;

    public WebhookMetrics(MeterRegistry registry, CircuitBreakerRegistry breakers, Supplier<Integer> subscriptions) {
        this.registry = registry;
        registry.gauge("streamfleet.alerts.webhook.retries.pending", retriesPending);
        attemptDuration = Timer.builder("streamfleet.alerts.webhook.attempt.duration")
                .description("HTTP duration of one delivery attempt").publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
        deliveryLatency = Timer.builder("streamfleet.alerts.webhook.delivery.latency")
                .description("From consuming an alert to its successful delivery, retries included")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofHours(2)).register(registry);
        endToEnd = FeedMetrics.endToEnd(registry, "webhook");
        deadLetters = Counter.builder("streamfleet.alerts.webhook.dead.letters")
                .description("Deliveries written to the dead-letter topic").register(registry);
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            Gauge.builder("streamfleet.alerts.webhook.circuits", breakers, r -> r.getAllCircuitBreakers().stream()
                            .filter(cb -> cb.getState() == state).count())
                    .tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Webhook endpoints per circuit breaker state").register(registry);
        }
        Gauge.builder("streamfleet.alerts.webhook.subscriptions", subscriptions, Supplier::get)
                .description("Stored webhook subscriptions").register(registry);
    }

    /** Attempts waiting for a free slot of their endpoint (per-endpoint concurrency limit). */
    void watchQueued(Supplier<Integer> queued) {
        Gauge.builder("streamfleet.alerts.webhook.queued", queued, Supplier::get)
                .description("Webhook attempts waiting for a free slot of their endpoint").register(registry);
    }

    void attempt(DeliveryAttempt attempt) {
        Counter.builder("streamfleet.alerts.webhook.attempts").tag("outcome", attempt.outcome())
                .description("Webhook delivery attempts by outcome").register(registry).increment();
        if (attempt.status() > 0 || attempt.outcome().equals(DeliveryAttempt.Outcome.TIMEOUT)) {
            attemptDuration.record(attempt.durationMs(), TimeUnit.MILLISECONDS);
        }
    }

    void delivered(long consumedAtMs, long ingestedAtMs, long nowMs) {
        deliveryLatency.record(Math.max(0, nowMs - consumedAtMs), TimeUnit.MILLISECONDS);
        if (ingestedAtMs > 0) {
            endToEnd.record(Math.max(0, nowMs - ingestedAtMs), TimeUnit.MILLISECONDS);
        }
    }

    void deadLettered() {
        deadLetters.increment();
    }

    void retryScheduled() {
        retriesPending.incrementAndGet();
    }

    void retryStarted() {
        retriesPending.decrementAndGet();
    }

    public int retriesPending() {
        return retriesPending.get();
    }
}
