package io.streamfleet.testkit.kafka;

import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.topic.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/**
 * Reads and writes a topic of the shared broker in tests: reads are {@code read_committed} from the beginning, so
 * only what a transactional producer committed is seen. Reads return data records only: progress records (see
 * {@link ProgressRecords}) are skipped, as any data consumer of the raw and clean topics must do.
 */
public final class TopicProbe {

    private TopicProbe() {
    }

    /** Sends records synchronously (acks=all, idempotent) and returns once the broker acknowledged all of them. */
    @SafeVarargs
    public static <V> void send(Topic<String, V> topic, Map.Entry<String, V>... records) {
        sendAll(topic, List.of(records), new RecordHeaders());
    }

    public static <V> void sendAll(Topic<String, V> topic, List<Map.Entry<String, V>> records, RecordHeaders headers) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (var producer = new KafkaProducer<>(config, topic.key().serializer(), topic.value().serializer())) {
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            for (Map.Entry<String, V> record : records) {
                acks.add(producer.send(new ProducerRecord<>(topic.name(), null, record.getKey(), record.getValue(),
                        headers)));
            }
            for (var ack : acks) {
                ack.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("send to " + topic.name() + " failed", e.getCause());
        }
    }

    /** Reads committed records until {@code done} holds for what was read, or the timeout passes. */
    public static <V> List<ConsumerRecord<String, V>> readUntil(Topic<String, V> topic, Duration timeout,
                                                               Predicate<List<ConsumerRecord<String, V>>> done) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, V>> read = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, topic.key().deserializer(),
                ProgressRecords.skipping(topic.value().deserializer()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !done.test(read)) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(100))) {
                    if (!ProgressRecords.isProgress(record.headers())) {
                        read.add(record);
                    }
                }
            }
        }
        return read;
    }

    /** Reads committed records until at least {@code count} arrived or the timeout passes. */
    public static <V> List<ConsumerRecord<String, V>> readAtLeast(Topic<String, V> topic, int count, Duration timeout) {
        return readUntil(topic, timeout, read -> read.size() >= count);
    }

    /** Reads everything committed so far: polls until a quiet period of {@code quiet} passes without new records. */
    public static <V> List<ConsumerRecord<String, V>> readAll(Topic<String, V> topic, Duration quiet) {
        long[] lastChange = {System.nanoTime()};
        int[] lastSize = {0};
        return readUntil(topic, quiet.multipliedBy(20), read -> {
            if (read.size() != lastSize[0]) {
                lastSize[0] = read.size();
                lastChange[0] = System.nanoTime();
            }
            return System.nanoTime() - lastChange[0] > quiet.toNanos();
        });
    }
}
