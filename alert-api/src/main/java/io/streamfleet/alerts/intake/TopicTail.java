package io.streamfleet.alerts.intake;

import io.streamfleet.support.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads topics into memory on a {@link ConsumerLoop}: every partition assigned (no consumer group, nothing committed),
 * {@code read_committed}, from the beginning or from a point in time, then following new records. Used for the
 * views alert-api keeps of its topics (history, subscriptions, attempt log, dead letters) and for the live feed.
 * Knows when it has caught up with the end offsets it found on start.
 */
public final class TopicTail implements AutoCloseable {

    /** Start position meaning "the end of every partition at start": only records written afterwards are read. */
    public static final long FROM_END = Long.MAX_VALUE;

    private static final Logger log = LoggerFactory.getLogger(TopicTail.class);

    private final String name;
    private final List<String> topics;
    private final long startAtMs;
    private final Consumer<ConsumerRecord<byte[], byte[]>> handler;
    private volatile Consumer<Map<TopicPartition, Long>> onAssigned = positions -> { };
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final ConsumerLoop loop;
    private volatile Map<TopicPartition, Long> startPositions = Map.of();

    /**
     * @param startAtMs read from the first record at or after this time; {@code 0} = from the beginning,
     *                  {@link #FROM_END} = only what is written after the start
     */
    public TopicTail(String name, KafkaClients clients, List<String> topics, long startAtMs,
                     Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        this.name = name;
        this.topics = List.copyOf(topics);
        this.startAtMs = startAtMs;
        this.handler = handler;
        this.loop = new ConsumerLoop("tail " + name, clients, Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.CLIENT_ID_CONFIG, "alert-api-" + name), Duration.ofMillis(200), new Tailing());
    }

    /** Called on the tail's thread with each partition's start position, before the first record is handled. */
    public TopicTail onAssigned(Consumer<Map<TopicPartition, Long>> callback) {
        this.onAssigned = callback;
        return this;
    }

    public void start() {
        loop.start();
    }

    /** Waits until every record present on start has been handled. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** Where each partition was started from (after start-up). */
    public Map<TopicPartition, Long> startPositions() {
        return startPositions;
    }

    /** What the loop does: assign and seek on start, then hand over every record and watch for the catch-up. */
    private final class Tailing implements ConsumerLoop.Reader {

        private Map<TopicPartition, Long> end = Map.of();

        @Override
        public boolean open(KafkaConsumer<byte[], byte[]> kafka) {
            List<TopicPartition> partitions = assign(kafka);
            if (partitions == null) {
                return false;
            }
            end = kafka.endOffsets(partitions);
            return true;
        }

        @Override
        public void poll(KafkaConsumer<byte[], byte[]> kafka, ConsumerRecords<byte[], byte[]> records) {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                handle(record);
            }
            if (caughtUp.getCount() > 0 && reached(kafka, end)) {
                log.info("tail {} caught up with {}", name, end);
                caughtUp.countDown();
            }
        }
    }

    private List<TopicPartition> assign(KafkaConsumer<byte[], byte[]> kafka) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = kafka.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                log.error("tail {}: topic {} has no partitions (does it exist?)", name, topic);
                return null;
            }
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        kafka.assign(partitions);
        if (startAtMs <= 0) {
            kafka.seekToBeginning(partitions);
        } else if (startAtMs == FROM_END) {
            kafka.seekToEnd(partitions);
        } else {
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, startAtMs));
            Map<TopicPartition, OffsetAndTimestamp> found = kafka.offsetsForTimes(query);
            Map<TopicPartition, Long> end = kafka.endOffsets(partitions);
            partitions.forEach(tp -> {
                OffsetAndTimestamp at = found.get(tp);
                kafka.seek(tp, at == null ? end.get(tp) : at.offset());
            });
        }
        Map<TopicPartition, Long> positions = new HashMap<>();
        partitions.forEach(tp -> positions.put(tp, kafka.position(tp)));
        startPositions = Map.copyOf(positions);
        onAssigned.accept(startPositions);
        return partitions;
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        try {
            handler.accept(record);
        } catch (RuntimeException e) {
            log.error("tail {} could not handle {}-{}@{} (skipped)", name, record.topic(), record.partition(),
                    record.offset(), e);
        }
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> kafka, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> entry : end.entrySet()) {
            if (kafka.position(entry.getKey()) < entry.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Tells the tail to stop, without waiting: closing its consumer waits for the fetch in flight (up to
     * {@code fetch.max.wait.ms}), so stopping all tails first and then joining them takes that wait once, not per tail.
     */
    public void stop() {
        loop.stop();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        loop.awaitStopped(Duration.ofSeconds(10));
    }
}
