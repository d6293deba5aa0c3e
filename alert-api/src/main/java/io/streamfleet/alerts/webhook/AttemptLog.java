package io.streamfleet.alerts.webhook;

import io.streamfleet.alerts.webhook.model.DeliveryAttempt;
import io.streamfleet.contracts.json.ContractMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delivery attempts, written to the attempts topic (key = subscription id) and indexed from that topic by every
 * instance (so the log survives restarts and shows other instances' attempts). Keeps the latest
 * {@code perSubscription} entries of each subscription in memory.
 */
public final class AttemptLog {

    private static final Logger log = LoggerFactory.getLogger(AttemptLog.class);

    private final String topic;
    private final WebhookTopics producer;
    private final int perSubscription;
    private final Map<String, Deque<DeliveryAttempt>> bySubscription = new ConcurrentHashMap<>();

    public AttemptLog(String topic, WebhookTopics producer, int perSubscription) {
        this.topic = topic;
        this.producer = producer;
        this.perSubscription = perSubscription;
    }

    public void write(DeliveryAttempt attempt) {
        producer.send(topic, attempt.subscriptionId(), ContractMapper.shared().writeValueAsString(attempt))
                .whenComplete((metadata, error) -> {
                    if (error != null) {
                        log.warn("attempt of {} for {} not logged: {}", attempt.alertId(), attempt.subscriptionId(),
                                error.toString());
                    }
                });
    }

    /** Tail handler. */
    public void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        DeliveryAttempt attempt = ContractMapper.shared().readValue(record.value(), DeliveryAttempt.class);
        Deque<DeliveryAttempt> entries = bySubscription.computeIfAbsent(attempt.subscriptionId(),
                id -> new ArrayDeque<>());
        synchronized (entries) {
            entries.addFirst(attempt);
            while (entries.size() > perSubscription) {
                entries.removeLast();
            }
        }
    }

    /** Newest first. */
    public List<DeliveryAttempt> recent(String subscriptionId, int limit) {
        Deque<DeliveryAttempt> entries = bySubscription.get(subscriptionId);
        if (entries == null) {
            return List.of();
        }
        synchronized (entries) {
            List<DeliveryAttempt> result = new ArrayList<>(Math.min(limit, entries.size()));
            Iterator<DeliveryAttempt> it = entries.iterator();
            while (it.hasNext() && result.size() < limit) {
                result.add(it.next());
            }
            return result;
        }
    }
}
