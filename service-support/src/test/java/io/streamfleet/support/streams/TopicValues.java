package io.streamfleet.support.streams;

import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The values of one topic as a reader with the given isolation level sees them, read from the beginning and kept
 * up to date while a test waits: one consumer for the whole test, so the time a wait ends is the time a value became
 * visible, not the time a fresh consumer caught up.
 */
final class TopicValues implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<String> values = new ArrayList<>();

    TopicValues(String topic, IsolationLevel isolation) {
        consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(Locale.ROOT),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer());
        // a topic created a moment ago may not be in the metadata yet
        List<TopicPartition> partitions = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> consumer
                .partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList(),
                found -> !found.isEmpty());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads until {@code done} holds for everything read so far; fails with what was read after the timeout. */
    List<String> await(Predicate<List<String>> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(values)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not seen within " + timeout + "; read so far: " + values);
            }
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                values.add(record.value());
            }
        }
        return values();
    }

    List<String> values() {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ZERO)) {
            values.add(record.value());
        }
        return List.copyOf(values);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
