package io.streamfleet.alerts.relay;

import io.streamfleet.support.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One relay's consumer: its own consumer group and thread over the alert topics ({@code read_committed}, manual
 * commits). A partition's offset is committed only past records the destination confirmed (or that the relay does not
 * want), so alert-api can stop at any moment without losing an alert: at-least-once, deduplicated downstream by
 * {@code ce_id}. When a send fails the relay seeks back to that record and retries it after a backoff, holding only
 * its own partitions: other relays, the SSE feed and webhooks read the topics independently.
 */
public final class RelayRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RelayRunner.class);

    private final RelayHandler handler;
    private final KafkaClients clients;
    private final Map<String, Object> config;
    private final List<String> topics;
    private final RelayMetrics metrics;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Map<TopicPartition, Long> done = new HashMap<>();
    private volatile boolean running = true;
    private volatile boolean assigned;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;
    private Duration backoff;

    public RelayRunner(RelayHandler handler, KafkaClients clients, String groupId, String autoOffsetReset,
                       List<String> topics, RelayMetrics metrics, Duration initialBackoff, Duration maxBackoff) {
        this.handler = handler;
        this.clients = clients;
        this.topics = List.copyOf(topics);
        this.metrics = metrics;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.backoff = initialBackoff;
        this.config = Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, autoOffsetReset,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200,
                ConsumerConfig.CLIENT_ID_CONFIG, "alert-api-relay-" + handler.route().name());
    }

    public synchronized void start() {
        thread = new Thread(this::run, "relay-" + handler.route().name());
        thread.setDaemon(true);
        thread.start();
    }

    /** True once partitions are assigned and their start offsets are fixed (committed). */
    public boolean isAssigned() {
        return assigned;
    }

    private void run() {
        try (KafkaConsumer<byte[], byte[]> kafka = clients.consumer(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = kafka;
            kafka.subscribe(topics, new Rebalance(kafka));
            try {
                while (running) {
                    ConsumerRecords<byte[], byte[]> records = kafka.poll(Duration.ofMillis(200));
                    boolean failed = relay(kafka, records);
                    commit(kafka);
                    updateLag(kafka);
                    if (failed) {
                        pause();
                    } else {
                        backoff = initialBackoff;
                    }
                }
            } catch (WakeupException e) {
                if (running) {
                    throw e;
                }
            }
            // the wake-up that stopped the loop is used up: what the destination confirmed is committed now
            commit(kafka);
        } catch (WakeupException e) {
            if (running) {
                log.error("relay {} woken up unexpectedly", handler.route().name(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("relay {} stopped on an error", handler.route().name(), e);
        }
    }

    /** Relays a poll's records in partition order; on the first failure rewinds every partition to its first unsent record. */
    private boolean relay(KafkaConsumer<byte[], byte[]> kafka, ConsumerRecords<byte[], byte[]> records) {
        List<TopicPartition> partitions = new ArrayList<>(records.partitions());
        for (int i = 0; i < partitions.size(); i++) {
            TopicPartition tp = partitions.get(i);
            for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                if (!running) {
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
            OptionalLong partitionLag = kafka.currentLag(tp);
            lag += partitionLag.orElse(0);
        }
        metrics.lag(lag);
    }

    /** Waits out the backoff (doubling it up to the maximum), returning early when the relay is stopped. */
    private void pause() throws InterruptedException {
        long until = System.nanoTime() + backoff.toNanos();
        while (running && System.nanoTime() < until) {
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
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    /** Stops and waits for the thread, which commits what the destination confirmed before it ends. */
    @Override
    public void close() throws InterruptedException {
        stop();
        awaitStopped(Duration.ofSeconds(15));
    }

    /** Waits up to {@code timeout} for the thread to end (a send in flight may hold it up to the binder's timeout). */
    public void awaitStopped(Duration timeout) throws InterruptedException {
        if (thread != null && !timeout.isNegative() && !timeout.isZero()) {
            thread.join(timeout.toMillis());
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> kafka;

        Rebalance(KafkaConsumer<byte[], byte[]> kafka) {
            this.kafka = kafka;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commit(kafka);
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
            log.info("relay {} assigned {}", handler.route().name(), partitions);
            assigned = true;
        }
    }
}
