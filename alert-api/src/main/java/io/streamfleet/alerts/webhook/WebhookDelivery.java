package io.streamfleet.alerts.webhook;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.streamfleet.alerts.webhook.model.DeadLetter;
import io.streamfleet.alerts.webhook.model.DeliveryAttempt;
import io.streamfleet.alerts.webhook.model.DeliveryAttempt.Outcome;
import io.streamfleet.alerts.webhook.model.Subscription;
import io.streamfleet.alerts.webhook.policy.RetryAfter;
import io.streamfleet.alerts.webhook.policy.RetryPolicy;
import io.streamfleet.alerts.webhook.policy.TargetGuard;
import io.streamfleet.alerts.webhook.signing.WebhookSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Delivers one job per Standard Webhooks: signed POST with {@code webhook-id} (= alertId, stable across retries),
 * a fresh {@code webhook-timestamp} and signature per attempt; any non-2xx, timeout or connection error is retried
 * per {@link RetryPolicy} (Retry-After honoured) behind a circuit breaker per endpoint; 410 Gone disables the
 * subscription; the last failure goes to the dead-letter topic. The job's completion callback runs only after success
 * or a durable dead letter, which is what lets the dispatcher commit.
 */
public final class WebhookDelivery {

    private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);

    private final SubscriptionStore subscriptions;
    private final HttpClient http;
    private final RetryPolicy policy;
    private final TargetGuard guard;
    private final CircuitBreakerRegistry breakers;
    private final CircuitBreakerConfig breakerConfig;
    private final AttemptLog attempts;
    private final DeadLetters deadLetters;
    private final WebhookMetrics metrics;
    private final Duration requestTimeout;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier clock;
    private final EndpointLanes lanes;

    public WebhookDelivery(SubscriptionStore subscriptions, HttpClient http, RetryPolicy policy, TargetGuard guard,
                           CircuitBreakerRegistry breakers, CircuitBreakerConfig breakerConfig, AttemptLog attempts,
                           DeadLetters deadLetters, WebhookMetrics metrics, Duration requestTimeout,
                           ScheduledExecutorService scheduler, int maxConcurrentPerEndpoint, LongSupplier clock) {
        this.subscriptions = subscriptions;
        this.http = http;
        this.policy = policy;
        this.guard = guard;
        this.breakers = breakers;
        this.breakerConfig = breakerConfig;
        this.attempts = attempts;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.requestTimeout = requestTimeout;
        this.scheduler = scheduler;
        this.clock = clock;
        this.lanes = new EndpointLanes(maxConcurrentPerEndpoint, task -> schedule(task, 0));
        metrics.watchQueued(lanes::waiting);
    }

    public void submit(DeliveryJob job) {
        schedule(() -> inLane(job), 0);
    }

    private void inLane(DeliveryJob job) {
        lanes.run(job.subscriptionId(), release -> attempt(job, release));
    }

    /** Runs later unless shutting down: an abandoned job was not committed, so a restart delivers it again. */
    private void schedule(Runnable task, long delayMs) {
        try {
            scheduler.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("delivery task dropped during shutdown");
        }
    }

    public CircuitBreaker breakerOf(String subscriptionId) {
        return breakers.circuitBreaker("webhook-" + subscriptionId, breakerConfig);
    }

    /** One attempt in a slot of the endpoint's lane; {@code release} frees the slot once the exchange is over. */
    private void attempt(DeliveryJob previous, Runnable release) {
        DeliveryJob job = previous.afterAttempt();
        boolean sending = false;
        try {
            sending = send(job, release);
        } finally {
            if (!sending) {
                release.run();
            }
        }
    }

    /** Sends the request, or concludes at once; true when the request went out (its completion releases the slot). */
    private boolean send(DeliveryJob job, Runnable release) {
        Optional<Subscription> found = subscriptions.get(job.subscriptionId());
        if (found.isEmpty() || (!found.get().enabled() && !job.redelivery())) {
            log.info("delivery of {} to {} dropped: subscription {}", job.alertId(), job.subscriptionId(),
                    found.isEmpty() ? "deleted" : "disabled");
            job.onFinished().run();
            return false;
        }
        Subscription subscription = found.get();
        long startedAt = clock.getAsLong();
        Optional<String> refusal = guard.refusal(subscription.url());
        if (refusal.isPresent()) {
            conclude(job, Outcome.BLOCKED_TARGET, 0, startedAt, 0, refusal.get(), null, true);
            return false;
        }
        CircuitBreaker breaker = breakerOf(subscription.id());
        if (!breaker.tryAcquirePermission()) {
            conclude(job, Outcome.CIRCUIT_OPEN, 0, startedAt, 0, "circuit breaker open", null, false);
            return false;
        }
        byte[] body = job.payload().getBytes(StandardCharsets.UTF_8);
        long timestamp = startedAt / 1000;
        HttpRequest request = HttpRequest.newBuilder(URI.create(subscription.url()))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "StreamFleet-Webhooks/1")
                .header("webhook-id", job.alertId())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSigner.signatureHeader(job.alertId(), timestamp, body,
                        subscription.signingSecrets(startedAt)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        long startNanos = System.nanoTime();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            release.run();
            long nanos = System.nanoTime() - startNanos;
            try {
                if (error != null) {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    breaker.onError(nanos, TimeUnit.NANOSECONDS, cause);
                    conclude(job, classify(cause), 0, startedAt, nanos, cause.toString(), null, false);
                } else {
                    onResponse(job, subscription, breaker, response, startedAt, nanos);
                }
            } catch (RuntimeException e) {
                log.error("delivery of {} to {} failed unexpectedly", job.alertId(), job.subscriptionId(), e);
                conclude(job, Outcome.IO_ERROR, 0, startedAt, nanos, e.toString(), null, false);
            }
        });
        return true;
    }

    private void onResponse(DeliveryJob job, Subscription subscription, CircuitBreaker breaker,
                            HttpResponse<Void> response, long startedAt, long nanos) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
            record(job, Outcome.SUCCESS, status, startedAt, nanos, null, -1);
            metrics.delivered(job.consumedAtMs(), job.ingestedAtMs(), clock.getAsLong());
            job.onFinished().run();
        } else if (status == 410) {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
            subscriptions.disable(subscription.id(), "endpoint answered 410 Gone at " + clock.getAsLong());
            log.warn("webhook {} disabled: {} answered 410 Gone", subscription.id(), subscription.url());
            conclude(job, Outcome.GONE, status, startedAt, nanos, "410 Gone: subscription disabled", null, true);
        } else {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, new IOException("HTTP " + status));
            Duration retryAfter = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null),
                    clock.getAsLong()).orElse(null);
            conclude(job, Outcome.HTTP_ERROR, status, startedAt, nanos, "HTTP " + status, retryAfter, false);
        }
    }

    private static String classify(Throwable cause) {
        if (cause instanceof HttpTimeoutException) {
            return Outcome.TIMEOUT;
        }
        if (cause instanceof ConnectException) {
            return Outcome.CONNECT_ERROR;
        }
        return Outcome.IO_ERROR;
    }

    /** After a failed attempt: schedule the next one, or dead-letter when none is left (or {@code final}). */
    private void conclude(DeliveryJob job, String outcome, int status, long startedAt, long nanos, String error,
                          Duration retryAfter, boolean terminal) {
        Optional<Duration> delay = terminal ? Optional.empty()
                : policy.nextDelay(job.attempts(), retryAfter, ThreadLocalRandom.current().nextDouble());
        record(job, outcome, status, startedAt, nanos, error, delay.map(Duration::toMillis).orElse(-1L));
        if (delay.isPresent()) {
            metrics.retryScheduled();
            schedule(() -> {
                metrics.retryStarted();
                inLane(job);
            }, delay.get().toMillis());
        } else {
            deadLetter(job, outcome, status);
        }
    }

    private void deadLetter(DeliveryJob job, String outcome, int status) {
        DeadLetter deadLetter = new DeadLetter(job.subscriptionId(), job.alertId(), job.alertTopic(), job.partition(),
                job.offset(), job.ingestedAtMs(), job.payload(), job.attempts(), outcome, status, clock.getAsLong());
        deadLetters.write(deadLetter).whenComplete((metadata, error) -> {
            if (error == null) {
                metrics.deadLettered();
                log.warn("delivery of {} to {} dead-lettered after {} attempts (last: {})", job.alertId(),
                        job.subscriptionId(), job.attempts(), outcome);
                job.onFinished().run();
            } else if (!scheduler.isShutdown()) {
                log.error("dead letter of {} for {} not written, trying again: {}", job.alertId(),
                        job.subscriptionId(), error.toString());
                schedule(() -> deadLetter(job, outcome, status), 1000);
            }
        });
    }

    private void record(DeliveryJob job, String outcome, int status, long startedAt, long nanos, String error,
                        long nextRetryInMs) {
        DeliveryAttempt attempt = new DeliveryAttempt(job.subscriptionId(), job.alertId(), job.attempts(), outcome,
                status, TimeUnit.NANOSECONDS.toMillis(nanos), startedAt, error, nextRetryInMs, job.redelivery());
        metrics.attempt(attempt);
        attempts.write(attempt);
    }
}
