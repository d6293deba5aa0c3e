package io.streamfleet.alerts.webhook;

import io.streamfleet.alerts.webhook.model.DeadLetter;
import io.streamfleet.contracts.json.ContractMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dead-letter topic (key = subscription id): deliveries that used up their attempts. Indexed from the topic by
 * every instance so {@code redeliver} works after restarts; keeps the latest {@code perSubscription} per subscription.
 */
public final class DeadLetters {

    private final String topic;
    private final WebhookTopics producer;
    private final int perSubscription;
    private final Map<String, Deque<DeadLetter>> bySubscription = new ConcurrentHashMap<>();

    public DeadLetters(String topic, WebhookTopics producer, int perSubscription) {
        this.topic = topic;
        this.producer = producer;
        this.perSubscription = perSubscription;
    }

    public CompletableFuture<RecordMetadata> write(DeadLetter deadLetter) {
        return producer.send(topic, deadLetter.subscriptionId(), ContractMapper.shared().writeValueAsString(deadLetter));
    }

    /** Tail handler. */
    public void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        DeadLetter deadLetter = ContractMapper.shared().readValue(record.value(), DeadLetter.class);
        Deque<DeadLetter> entries = bySubscription.computeIfAbsent(deadLetter.subscriptionId(), id -> new ArrayDeque<>());
        synchronized (entries) {
            entries.addFirst(deadLetter);
            while (entries.size() > perSubscription) {
                entries.removeLast();
            }
        }
    }

    /** Newest first. */
    public List<DeadLetter> of(String subscriptionId) {
        Deque<DeadLetter> entries = bySubscription.get(subscriptionId);
        if (entries == null) {
            return List.of();
        }
        synchronized (entries) {
            return new ArrayList<>(entries);
        }
    }
}
