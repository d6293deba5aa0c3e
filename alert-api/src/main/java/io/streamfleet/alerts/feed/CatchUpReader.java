package io.streamfleet.alerts.feed;

import io.streamfleet.support.kafka.KafkaClients;
import io.streamfleet.alerts.alert.FeedAlert;
import io.streamfleet.alerts.feed.position.PartitionKey;
import io.streamfleet.alerts.feed.position.PositionVector;
import io.streamfleet.alerts.intake.AlertDecoder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads a resuming client's missed alerts straight from Kafka ({@code read_committed}): every partition from the
 * client's position up to the hub's position, pulled as the client consumes (backpressure), on a private consumer
 * that is closed when the catch-up ends or the client leaves. This is what makes ids valid across restarts and
 * instances: nothing comes from memory.
 */
public final class CatchUpReader {

    private final KafkaClients clients;
    private final AlertDecoder decoder;
    private final Duration stallTimeout;

    public CatchUpReader(KafkaClients clients, AlertDecoder decoder, Duration stallTimeout) {
        this.clients = clients;
        this.decoder = decoder;
        this.stallTimeout = stallTimeout;
    }

    /** Records in [from, to) per partition of {@code to}; a partition missing from {@code from} starts at 0. */
    public Flux<FeedAlert> read(PositionVector from, PositionVector to) {
        Map<TopicPartition, long[]> ranges = new HashMap<>();
        to.asMap().forEach((key, end) -> {
            long begin = Math.max(0, from.nextOffset(key));
            if (begin < end) {
                ranges.put(new TopicPartition(key.topic(), key.partition()), new long[]{begin, end});
            }
        });
        if (ranges.isEmpty()) {
            return Flux.empty();
        }
        return Flux.<FeedAlert, Reader>generate(() -> new Reader(ranges), Reader::next, Reader::close)
                .subscribeOn(Schedulers.boundedElastic());
    }

    private final class Reader {
        private final Map<TopicPartition, long[]> ranges;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final ArrayDeque<ConsumerRecord<byte[], byte[]>> buffered = new ArrayDeque<>();
        private final ReentrantLock lock = new ReentrantLock();
        private volatile boolean closed;

        Reader(Map<TopicPartition, long[]> ranges) {
            this.ranges = ranges;
            this.consumer = clients.consumer(Map.of(
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500,
                    ConsumerConfig.CLIENT_ID_CONFIG, "alert-api-catch-up"),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer.assign(ranges.keySet());
            ranges.forEach((tp, range) -> consumer.seek(tp, range[0]));
        }

        Reader next(SynchronousSink<FeedAlert> sink) {
            long deadline = System.nanoTime() + stallTimeout.toNanos();
            lock.lock();
            try {
                while (!closed) {
                    ConsumerRecord<byte[], byte[]> record = buffered.poll();
                    if (record != null) {
                        long end = ranges.get(new TopicPartition(record.topic(), record.partition()))[1];
                        if (record.offset() < end) {
                            var decoded = decoder.decode(record);
                            if (decoded.isPresent()) {
                                sink.next(decoded.get());
                                return this;
                            }
                        }
                        continue;
                    }
                    if (done()) {
                        sink.complete();
                        return this;
                    }
                    if (System.nanoTime() > deadline) {
                        sink.error(new IllegalStateException("catch-up from Kafka made no progress for " + stallTimeout));
                        return this;
                    }
                    consumer.poll(Duration.ofMillis(100)).forEach(buffered::add);
                }
                sink.complete();
            } catch (WakeupException e) {
                sink.complete();
            } finally {
                lock.unlock();
            }
            return this;
        }

        private boolean done() {
            for (Map.Entry<TopicPartition, long[]> entry : ranges.entrySet()) {
                if (consumer.position(entry.getKey()) < entry.getValue()[1]) {
                    return false;
                }
            }
            return true;
        }

        void close() {
            closed = true;
            consumer.wakeup();
            lock.lock();
            try {
                consumer.close(Duration.ofSeconds(1));
            } finally {
                lock.unlock();
            }
        }
    }

    /** The key of a feed alert's partition. */
    static PartitionKey keyOf(FeedAlert alert) {
        return new PartitionKey(alert.topic(), alert.partition());
    }
}
