package io.streamfleet.alerts.webhook;

import io.streamfleet.alerts.alert.AlertFilter;
import io.streamfleet.alerts.webhook.model.DeadLetter;
import io.streamfleet.alerts.webhook.model.DeliveryAttempt;
import io.streamfleet.alerts.webhook.model.Subscription;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;

/**
 * {@code /v1/webhooks}: subscriptions (create returns the secret once), secret rotation, attempt log, dead letters and
 * redelivery. Writes wait for Kafka's acknowledgement, off the event loop.
 */
@RestController
public class WebhookController {

    private final SubscriptionStore store;
    private final AttemptLog attempts;
    private final DeadLetters deadLetters;
    private final WebhookDelivery delivery;
    private final Duration defaultGrace;
    private final Duration maxGrace;
    private final LongSupplier clock;

    public WebhookController(SubscriptionStore store, AttemptLog attempts, DeadLetters deadLetters,
                             WebhookDelivery delivery, WebhookSettings settings) {
        this.store = store;
        this.attempts = attempts;
        this.deadLetters = deadLetters;
        this.delivery = delivery;
        this.defaultGrace = settings.rotationGrace();
        this.maxGrace = settings.maxRotationGrace();
        this.clock = System::currentTimeMillis;
    }

    @PostMapping("/v1/webhooks")
    public Mono<ResponseEntity<Created>> create(@RequestBody CreateRequest request) {
        if (request.url() == null || request.url().isBlank()) {
            throw new IllegalArgumentException("url: required");
        }
        return blocking(() -> {
            Subscription s = store.create(request.url().trim(), request.filters(),
                    request.enabled() == null || request.enabled(), request.description());
            return ResponseEntity.status(HttpStatus.CREATED).body(new Created(View.of(s, clock.getAsLong()), s.secret()));
        });
    }

    @GetMapping("/v1/webhooks")
    public List<View> list() {
        long now = clock.getAsLong();
        return store.list().stream().map(s -> View.of(s, now)).toList();
    }

    @GetMapping("/v1/webhooks/{id}")
    public View get(@PathVariable String id) {
        return View.of(store.require(id), clock.getAsLong());
    }

    @PatchMapping("/v1/webhooks/{id}")
    public Mono<View> update(@PathVariable String id, @RequestBody UpdateRequest request) {
        return blocking(() -> View.of(store.update(id, request.url() == null ? null : request.url().trim(),
                request.filters(), request.enabled(), request.description()), clock.getAsLong()));
    }

    @DeleteMapping("/v1/webhooks/{id}")
    public Mono<ResponseEntity<Void>> delete(@PathVariable String id) {
        return blocking(() -> {
            store.delete(id);
            return ResponseEntity.noContent().build();
        });
    }

    @PostMapping("/v1/webhooks/{id}/rotate-secret")
    public Mono<Rotated> rotate(@PathVariable String id, @RequestBody(required = false) RotateRequest request) {
        Duration grace = request == null || request.graceSeconds() == null ? defaultGrace
                : Duration.ofSeconds(request.graceSeconds());
        if (grace.isNegative() || grace.compareTo(maxGrace) > 0) {
            throw new IllegalArgumentException("graceSeconds: must be between 0 and " + maxGrace.toSeconds());
        }
        return blocking(() -> {
            Subscription s = store.rotateSecret(id, grace.toMillis());
            return new Rotated(s.id(), s.secret(), Instant.ofEpochMilli(s.previousSecretUntilMs()));
        });
    }

    @GetMapping("/v1/webhooks/{id}/attempts")
    public List<DeliveryAttempt> attempts(@PathVariable String id, @RequestParam(defaultValue = "100") int limit) {
        store.require(id);
        return attempts.recent(id, Math.max(1, Math.min(limit, 1000)));
    }

    @GetMapping("/v1/webhooks/{id}/dead-letters")
    public List<DeadLetter> deadLetters(@PathVariable String id) {
        store.require(id);
        return deadLetters.of(id);
    }

    /** Replays dead letters of the subscription: all, those of one alert, or those dead-lettered since a time. */
    @PostMapping("/v1/webhooks/{id}/redeliver")
    public ResponseEntity<Redelivering> redeliver(@PathVariable String id,
                                                  @RequestBody(required = false) RedeliverRequest request) {
        Subscription subscription = store.require(id);
        if (!subscription.enabled()) {
            throw new IllegalArgumentException("webhook '" + id + "' is disabled; enable it (PATCH enabled=true) first");
        }
        String alertId = request == null ? null : request.alertId();
        long since = request == null || request.sinceMs() == null ? Long.MIN_VALUE : request.sinceMs();
        List<DeadLetter> selected = deadLetters.of(id).stream()
                .filter(d -> alertId == null || alertId.equals(d.alertId()))
                .filter(d -> d.deadAtMs() >= since).toList();
        long now = clock.getAsLong();
        selected.forEach(d -> delivery.submit(DeliveryJob.redelivery(d, now)));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Redelivering(selected.size()));
    }

    private static <T> Mono<T> blocking(Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
    }

    public record CreateRequest(String url, AlertFilter filters, Boolean enabled, String description) {
    }

    public record UpdateRequest(String url, AlertFilter filters, Boolean enabled, String description) {
    }

    public record RotateRequest(Long graceSeconds) {
    }

    public record RedeliverRequest(String alertId, Long sinceMs) {
    }

    public record Redelivering(int redelivering) {
    }

    public record Rotated(String id, String secret, Instant previousSecretValidUntil) {
    }

    public record Created(View webhook, String secret) {
    }

    /** A subscription as shown (never with a secret). */
    public record View(String id, String url, AlertFilter filters, boolean enabled, String description,
                       String disabledReason, Instant createdAt, Instant updatedAt, Instant previousSecretValidUntil) {
        static View of(Subscription s, long nowMs) {
            Instant graceUntil = s.previousSecret() != null && s.previousSecretUntilMs() > nowMs
                    ? Instant.ofEpochMilli(s.previousSecretUntilMs()) : null;
            return new View(s.id(), s.url(), s.filter(), s.enabled(), s.description(), s.disabledReason(),
                    Instant.ofEpochMilli(s.createdAtMs()), Instant.ofEpochMilli(s.updatedAtMs()), graceUntil);
        }
    }
}
