package io.streamfleet.alerts.webhook;

import io.streamfleet.alerts.alert.AlertFilter;
import io.streamfleet.alerts.alert.FeedAlert;
import io.streamfleet.alerts.webhook.model.Subscription;
import io.streamfleet.alerts.webhook.policy.TargetGuard;
import io.streamfleet.alerts.webhook.signing.WebhookSecret;
import io.streamfleet.contracts.json.ContractMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Webhook subscriptions, stored in a compacted topic (key = id, tombstone = deleted) and held in memory. Every instance
 * tails the topic, so all see the same subscriptions; a write is applied locally once the broker acknowledged it, and
 * the tail ignores anything older than what an entry already reflects (per-key offsets).
 */
public final class SubscriptionStore {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionStore.class);
    private static final long WRITE_TIMEOUT_MS = 15_000;

    private final String topic;
    private final WebhookTopics producer;
    private final TargetGuard guard;
    private final LongSupplier clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Versioned> byId = new ConcurrentHashMap<>();

    public SubscriptionStore(String topic, WebhookTopics producer, TargetGuard guard, LongSupplier clock) {
        this.topic = topic;
        this.producer = producer;
        this.guard = guard;
        this.clock = clock;
    }

    /** Tail handler: applies a record of the subscriptions topic. */
    public void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            return;
        }
        String id = new String(record.key(), StandardCharsets.UTF_8);
        Subscription value = record.value() == null ? null
                : ContractMapper.shared().readValue(record.value(), Subscription.class);
        applyVersioned(id, value, record.offset());
    }

    private void applyVersioned(String id, Subscription value, long offset) {
        byId.compute(id, (key, current) -> current != null && current.offset() >= offset ? current
                : new Versioned(value, offset));
    }

    public Subscription create(String url, AlertFilter filter, boolean enabled, String description) {
        requireAllowed(url);
        long now = clock.getAsLong();
        byte[] idBytes = new byte[12];
        random.nextBytes(idBytes);
        Subscription subscription = new Subscription("wh_" + HexFormat.of().formatHex(idBytes), url, filter, enabled,
                description, WebhookSecret.generate(random), null, 0, null, now, now);
        return write(subscription);
    }

    public Optional<Subscription> get(String id) {
        Versioned versioned = byId.get(id);
        return versioned == null ? Optional.empty() : Optional.ofNullable(versioned.value());
    }

    public Subscription require(String id) {
        return get(id).orElseThrow(() -> new NoSuchElementException("no webhook subscription '" + id + "'"));
    }

    public List<Subscription> list() {
        return byId.values().stream().map(Versioned::value).filter(v -> v != null)
                .sorted(Comparator.comparingLong(Subscription::createdAtMs).thenComparing(Subscription::id)).toList();
    }

    /** Enabled subscriptions whose filter matches the alert. */
    public List<Subscription> matching(FeedAlert alert) {
        return byId.values().stream().map(Versioned::value)
                .filter(s -> s != null && s.enabled() && s.filter().matches(alert.alert())).toList();
    }

    public Subscription update(String id, String url, AlertFilter filter, Boolean enabled, String description) {
        if (url != null) {
            requireAllowed(url);
        }
        return write(require(id).withChanges(url, filter, enabled, description, clock.getAsLong()));
    }

    public Subscription rotateSecret(String id, long graceMs) {
        return write(require(id).withRotatedSecret(WebhookSecret.generate(random), clock.getAsLong(), graceMs));
    }

    public void disable(String id, String reason) {
        get(id).ifPresent(s -> write(s.disabledBecause(reason, clock.getAsLong())));
    }

    public void delete(String id) {
        require(id);
        RecordMetadata metadata = await(producer.send(topic, id, null));
        applyVersioned(id, null, metadata.offset());
        log.info("webhook subscription {} deleted", id);
    }

    public int count() {
        return (int) byId.values().stream().filter(v -> v.value() != null).count();
    }

    private void requireAllowed(String url) {
        guard.refusal(url).ifPresent(reason -> {
            throw new IllegalArgumentException("url: " + reason);
        });
    }

    private Subscription write(Subscription subscription) {
        String json = ContractMapper.shared().writeValueAsString(subscription);
        RecordMetadata metadata = await(producer.send(topic, subscription.id(), json));
        applyVersioned(subscription.id(), subscription, metadata.offset());
        return subscription;
    }

    private static RecordMetadata await(java.util.concurrent.CompletableFuture<RecordMetadata> ack) {
        try {
            return ack.get(WRITE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing the subscription", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not store the subscription: " + e.getMessage(), e);
        }
    }

    private record Versioned(Subscription value, long offset) {
    }
}
