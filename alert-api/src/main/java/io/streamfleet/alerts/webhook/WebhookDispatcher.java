package io.streamfleet.alerts.webhook;

import io.streamfleet.support.kafka.KafkaClients;
import io.streamfleet.alerts.alert.FeedAlert;
import io.streamfleet.alerts.intake.AlertDecoder;
import io.streamfleet.alerts.intake.TopicTail;
import io.streamfleet.alerts.webhook.model.Subscription;
import io.streamfleet.alerts.webhook.policy.OffsetTracker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Consumes the alert topics in a consumer group ({@code read_committed}, manual commits) and hands each alert to the
 * delivery of every matching subscription. A partition's offset is committed only past records whose deliveries all
 * finished (success or dead letter), so alert-api can stop at any moment without losing a delivery: at-least-once,
 * idempotent for receivers by {@code webhook-id}. A partition with too many unfinished records is paused, which
 * bounds memory when endpoints are down.
 */
public final class WebhookDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final Map<String, Object> config;
    private final List<String> topics;
    private final AlertDecoder decoder;
    private final SubscriptionStore subscriptions;
    private final TopicTail subscriptionTail;
    private final WebhookDelivery delivery;
    private final int maxInFlightPerPartition;
    private final LongSupplier clock;
    private final Map<TopicPartition, OffsetTracker> trackers = new HashMap<>();
    private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private volatile boolean running = true;
    private volatile boolean assigned;
    private final KafkaClients clients;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    public WebhookDispatcher(KafkaClients clients, String groupId, String autoOffsetReset, List<String> topics,
                             AlertDecoder decoder, SubscriptionStore subscriptions, TopicTail subscriptionTail,
                             WebhookDelivery delivery, int maxInFlightPerPartition, LongSupplier clock) {
        this.clients = clients;
        this.config = Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, autoOffsetReset,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200,
                ConsumerConfig.CLIENT_ID_CONFIG, "alert-api-webhooks");
        this.topics = List.copyOf(topics);
        this.decoder = decoder;
        this.subscriptions = subscriptions;
        this.subscriptionTail = subscriptionTail;
        this.delivery = delivery;
        this.maxInFlightPerPartition = maxInFlightPerPartition;
        this.clock = clock;
    }

    public synchronized void start() {
        thread = new Thread(this::run, "webhook-dispatcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** True once partitions are assigned and their start offsets are fixed (committed). */
    public boolean isAssigned() {
        return assigned;
    }

    private void run() {
        try {
            while (running && !subscriptionTail.awaitCaughtUp(Duration.ofSeconds(1))) {
                log.info("webhook dispatcher waits for the subscriptions to be loaded");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try (KafkaConsumer<byte[], byte[]> kafka = clients.consumer(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = kafka;
            kafka.subscribe(topics, new Rebalance(kafka));
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : kafka.poll(Duration.ofMillis(100))) {
                    dispatch(record);
                }
                commitFinished(kafka);
                applyBackpressure(kafka);
            }
        } catch (WakeupException e) {
            if (running) {
                log.error("webhook dispatcher woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            log.error("webhook dispatcher stopped on an error", e);
        }
    }

    private void dispatch(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        OffsetTracker tracker = trackers.computeIfAbsent(tp, key -> new OffsetTracker());
        tracker.track(record.offset());
        Optional<FeedAlert> alert = decoder.decode(record);
        List<Subscription> targets = alert.map(subscriptions::matching).orElse(List.of());
        if (targets.isEmpty()) {
            tracker.complete(record.offset());
            return;
        }
        AtomicInteger remaining = new AtomicInteger(targets.size());
        Finished done = new Finished(tp, record.offset());
        long now = clock.getAsLong();
        for (Subscription target : targets) {
            delivery.submit(DeliveryJob.of(target.id(), alert.get(), now, () -> {
                if (remaining.decrementAndGet() == 0) {
                    finished.add(done);
                }
            }));
        }
    }

    private void commitFinished(KafkaConsumer<byte[], byte[]> kafka) {
        Finished done;
        while ((done = finished.poll()) != null) {
            OffsetTracker tracker = trackers.get(done.partition());
            if (tracker != null) {
                tracker.complete(done.offset());
            }
        }
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        trackers.forEach((tp, tracker) -> tracker.toCommit().ifPresent(
                offset -> commits.put(tp, new OffsetAndMetadata(offset))));
        if (!commits.isEmpty()) {
            kafka.commitSync(commits);
            commits.forEach((tp, offset) -> trackers.get(tp).markCommitted(offset.offset()));
        }
    }

    private void applyBackpressure(KafkaConsumer<byte[], byte[]> kafka) {
        trackers.forEach((tp, tracker) -> {
            boolean full = tracker.inFlight() >= maxInFlightPerPartition;
            if (full && paused.add(tp)) {
                kafka.pause(List.of(tp));
                log.warn("webhook dispatch paused {}: {} alerts still in delivery", tp, tracker.inFlight());
            } else if (!full && paused.remove(tp)) {
                kafka.resume(List.of(tp));
            }
        });
    }

    /** Stops consuming after committing what finished; idempotent. */
    @Override
    public void close() throws InterruptedException {
        if (!running) {
            return;
        }
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            thread.join(10_000);
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> kafka;

        Rebalance(KafkaConsumer<byte[], byte[]> kafka) {
            this.kafka = kafka;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitFinished(kafka);
            partitions.forEach(tp -> {
                trackers.remove(tp);
                paused.remove(tp);
            });
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // fix where a new group starts ("latest" is otherwise resolved lazily and lost on a restart)
            Map<TopicPartition, OffsetAndMetadata> committed = kafka.committed(new HashSet<>(partitions));
            Map<TopicPartition, OffsetAndMetadata> initial = new HashMap<>();
            for (TopicPartition tp : partitions) {
                if (committed.get(tp) == null) {
                    initial.put(tp, new OffsetAndMetadata(kafka.position(tp)));
                }
            }
            if (!initial.isEmpty()) {
                kafka.commitSync(initial);
            }
            log.info("webhook dispatcher assigned {}", partitions);
            assigned = true;
        }
    }

    private record Finished(TopicPartition partition, long offset) {
    }
}
