package io.streamfleet.alerts.webhook;

import io.streamfleet.support.kafka.KafkaClients;
import io.streamfleet.alerts.alert.FeedAlert;
import io.streamfleet.alerts.intake.AlertDecoder;
import io.streamfleet.alerts.intake.ConsumerLoop;
import io.streamfleet.alerts.intake.ManualCommitGroup;
import io.streamfleet.alerts.intake.TopicTail;
import io.streamfleet.alerts.webhook.model.Subscription;
import io.streamfleet.alerts.webhook.policy.OffsetTracker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
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
 * Consumes the alert topics in a consumer group ({@link ManualCommitGroup}, on a {@link ConsumerLoop}) and hands each
 * alert to the delivery of every matching subscription. A partition's offset is committed only past records whose
 * deliveries all finished (success or dead letter), so alert-api can stop at any moment without losing a delivery:
 * at-least-once, idempotent for receivers by {@code webhook-id}. A partition with too many unfinished records is
 * paused, which bounds memory when endpoints are down.
 */
public final class WebhookDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

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
    private final ManualCommitGroup group;
    private final ConsumerLoop loop;

    public WebhookDispatcher(KafkaClients clients, String groupId, String autoOffsetReset, List<String> topics,
                             AlertDecoder decoder, SubscriptionStore subscriptions, TopicTail subscriptionTail,
                             WebhookDelivery delivery, int maxInFlightPerPartition, LongSupplier clock) {
        this.topics = List.copyOf(topics);
        this.decoder = decoder;
        this.subscriptions = subscriptions;
        this.subscriptionTail = subscriptionTail;
        this.delivery = delivery;
        this.maxInFlightPerPartition = maxInFlightPerPartition;
        this.clock = clock;
        this.group = new ManualCommitGroup("webhook dispatcher", this::revoke);
        this.loop = new ConsumerLoop("webhook dispatcher", clients,
                ManualCommitGroup.config(groupId, autoOffsetReset, "alert-api-webhooks"), Duration.ofMillis(100),
                new Dispatching());
    }

    public void start() {
        loop.start();
    }

    /** True once partitions are assigned and their start offsets are fixed (committed). */
    public boolean isAssigned() {
        return group.isAssigned();
    }

    /** What the loop does: once the subscriptions are loaded, dispatch each poll, commit what finished, pause. */
    private final class Dispatching implements ConsumerLoop.Reader {

        @Override
        public boolean open(KafkaConsumer<byte[], byte[]> kafka) throws InterruptedException {
            while (loop.isRunning() && !subscriptionTail.awaitCaughtUp(Duration.ofSeconds(1))) {
                log.info("webhook dispatcher waits for the subscriptions to be loaded");
            }
            if (!loop.isRunning()) {
                return false;
            }
            group.subscribe(kafka, topics);
            return true;
        }

        @Override
        public void poll(KafkaConsumer<byte[], byte[]> kafka, ConsumerRecords<byte[], byte[]> records) {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                dispatch(record);
            }
            commitFinished(kafka);
            applyBackpressure(kafka);
        }

        @Override
        public void stopped(KafkaConsumer<byte[], byte[]> kafka) {
            commitFinished(kafka);
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
        loop.stop();
        loop.awaitStopped(Duration.ofSeconds(10));
    }

    private void revoke(KafkaConsumer<byte[], byte[]> kafka, Collection<TopicPartition> partitions) {
        commitFinished(kafka);
        partitions.forEach(tp -> {
            trackers.remove(tp);
            paused.remove(tp);
        });
    }

    private record Finished(TopicPartition partition, long offset) {
    }
}
