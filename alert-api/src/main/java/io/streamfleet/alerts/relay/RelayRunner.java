package io.streamfleet.alerts.relay;

import io.streamfleet.alerts.intake.ConsumerLoop;
import io.streamfleet.alerts.intake.ManualCommitGroup;
import io.streamfleet.support.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One relay's consumer: its own consumer group ({@link ManualCommitGroup}) and thread ({@link ConsumerLoop}) over the
 * alert topics. A partition's offset is committed only past records the destination confirmed (or that the relay does
 * not want), so alert-api can stop at any moment without losing an alert: at-least-once, deduplicated downstream by
 * {@code ce_id}. When a send fails the relay seeks back to that record and retries it after a backoff, holding only
 * its own partitions: other relays, the SSE feed and webhooks read the topics independently.
 */
public final class RelayRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RelayRunner.class);

    private final RelayHandler handler;
    private final List<String> topics;
    private final RelayMetrics metrics;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Map<TopicPartition, Long> done = new HashMap<>();
    private final ManualCommitGroup group;
    private final ConsumerLoop loop;
    private Duration backoff;

    public RelayRunner(RelayHandler handler, KafkaClients clients, String groupId, String autoOffsetReset,
                       List<String> topics, RelayMetrics metrics, Duration initialBackoff, Duration maxBackoff) {
        this.handler = handler;
        this.topics = List.copyOf(topics);
        this.metrics = metrics;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.backoff = initialBackoff;
        String name = "relay " + handler.route().name();
        this.group = new ManualCommitGroup(name, (kafka, revoked) -> commit(kafka));
        this.loop = new ConsumerLoop(name, clients, ManualCommitGroup.config(groupId, autoOffsetReset,
                "alert-api-relay-" + handler.route().name()), Duration.ofMillis(200), new Relaying());
    }

    public void start() {
        loop.start();
    }

    /** True once partitions are assigned and their start offsets are fixed (committed). */
    public boolean isAssigned() {
        return group.isAssigned();
    }

    /** What the loop does with each poll: relay, commit what was confirmed, and back off after a failed send. */
    private final class Relaying implements ConsumerLoop.Reader {

        @Override
        public boolean open(KafkaConsumer<byte[], byte[]> kafka) {
            group.subscribe(kafka, topics);
            return true;
        }

        @Override
        public void poll(KafkaConsumer<byte[], byte[]> kafka, ConsumerRecords<byte[], byte[]> records)
                throws InterruptedException {
            boolean failed = relay(kafka, records);
            commit(kafka);
            updateLag(kafka);
            if (failed) {
                pause();
            } else {
                backoff = initialBackoff;
            }
        }

        /** The wake-up that stopped the loop is used up: what the destination confirmed is committed now. */
        @Override
        public void stopped(KafkaConsumer<byte[], byte[]> kafka) {
            commit(kafka);
        }
    }

    /** Relays a poll's records in partition order; on the first failure rewinds every partition to its first unsent record. */
    private boolean relay(KafkaConsumer<byte[], byte[]> kafka, ConsumerRecords<byte[], byte[]> records) {
        List<TopicPartition> partitions = new ArrayList<>(records.partitions());
        for (int i = 0; i < partitions.size(); i++) {
            TopicPartition tp = partitions.get(i);
            for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                if (!loop.isRunning()) {
                    rewind(kafka, records, partitions.subList(i, partitions.size()), tp, record.offset());
                    return false;
                }
                try {
                    handler.handle(record);
                    done.put(tp, record.offset() + 1);
                } catch (RuntimeException e) {
                    log.warn("relay {} could not send {}-{}@{} to binding {} (retried in {}): {}",
                            handler.route().name(), record.topic(), record.partition(), record.offset(),
                            handler.route().binding(), backoff, rootMessage(e));
                    rewind(kafka, records, partitions.subList(i, partitions.size()), tp, record.offset());
                    return true;
                }
            }
        }
        return false;
    }

    private static void rewind(KafkaConsumer<byte[], byte[]> kafka, ConsumerRecords<byte[], byte[]> records,
                               List<TopicPartition> unfinished, TopicPartition current, long currentOffset) {
        kafka.seek(current, currentOffset);
        for (TopicPartition tp : unfinished) {
            if (!tp.equals(current)) {
                kafka.seek(tp, records.records(tp).get(0).offset());
            }
        }
    }

    private void commit(KafkaConsumer<byte[], byte[]> kafka) {
        if (done.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        done.forEach((tp, offset) -> commits.put(tp, new OffsetAndMetadata(offset)));
        kafka.commitSync(commits);
        done.clear();
    }

    private void updateLag(KafkaConsumer<byte[], byte[]> kafka) {
        long lag = 0;
        for (TopicPartition tp : kafka.assignment()) {
            lag += kafka.currentLag(tp).orElse(0);
        }
        metrics.lag(lag);
    }

    /** Waits out the backoff (doubling it up to the maximum), returning early when the relay is stopped. */
    private void pause() throws InterruptedException {
        long until = System.nanoTime() + backoff.toNanos();
        while (loop.isRunning() && System.nanoTime() < until) {
            Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e) : e.getMessage() + " (cause: " + root + ")";
    }

    /** Tells the relay to stop without waiting (a send in progress finishes or fails first). */
    public void stop() {
        loop.stop();
    }

    /** Stops and waits for the thread, which commits what the destination confirmed before it ends. */
    @Override
    public void close() throws InterruptedException {
        stop();
        awaitStopped(Duration.ofSeconds(15));
    }

    /** Waits up to {@code timeout} for the thread to end (a send in flight may hold it up to the binder's timeout). */
    public void awaitStopped(Duration timeout) throws InterruptedException {
        loop.awaitStopped(timeout);
    }
}
