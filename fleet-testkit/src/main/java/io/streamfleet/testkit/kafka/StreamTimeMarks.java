package io.streamfleet.testkit.kafka;

import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Plays stream-processor's part in tests that write a clean topic directly: a stream-time mark into every partition
 * of the topic on the shared broker, after the records sent so far. Without it nothing moves a downstream service's
 * time, so nothing closes.
 */
public final class StreamTimeMarks {

    /** The source name stream-processor writes its marks under. */
    public static final String UPSTREAM = "stream-processor";

    private StreamTimeMarks() {
    }

    /** Writes the mark to every partition and returns once the broker has acknowledged all of them. */
    public static void markEveryPartition(String topic, long streamTimeMs) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (PartitionInfo partition : producer.partitionsFor(topic)) {
                acks.add(producer.send(ProgressRecords.<byte[], byte[]>record(topic, partition.partition(),
                        ProgressMark.streamTime(UPSTREAM, streamTimeMs))));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("stream-time mark not written to " + topic, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while marking " + topic, e);
        }
    }
}
