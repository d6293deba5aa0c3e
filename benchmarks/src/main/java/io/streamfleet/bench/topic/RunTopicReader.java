package io.streamfleet.bench.topic;

import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.topic.Headers;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;

/**
 * Reads one run's records from a topic: every partition from the beginning up to the end offsets seen when the read
 * starts (read_committed, as the services' transactions commit them), keeping the JSON records whose {@code eventId}
 * starts with the run id (every event id of a run does). Progress records (the raw and clean topics carry them) and
 * other runs' events are skipped.
 */
public final class RunTopicReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Duration timeout;

    public RunTopicReader(String bootstrapServers, Duration timeout, String clientId) {
        Properties properties = readCommittedConsumer(bootstrapServers, clientId);
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        this.consumer = new KafkaConsumer<>(properties);
        this.timeout = timeout;
    }

    /**
     * Hands each of the run's records of {@code topic} to {@code sink} as (eventId, JSON), in offset order per
     * partition; what could not be read goes to {@code problems}, prefixed with the topic.
     */
    public void read(String topic, String runId, BiConsumer<String, JsonNode> sink, List<String> problems) {
        read(topic, runId, (id, json, ingestedAtMs) -> sink.accept(id, json), problems);
    }

    /** A record of the run: its event id, its JSON and the gateway's ingestion stamp (-1 when it has none). */
    @FunctionalInterface
    public interface StampedSink {
        void accept(String eventId, JsonNode json, long ingestedAtMs);
    }

    /** As {@link #read(String, String, BiConsumer, List)}, with each record's {@code sf-ingested-at-ms} header. */
    public void read(String topic, String runId, StampedSink sink, List<String> problems) {
        String prefix = runId + "-";
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            return;
        }
        List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        long unreadable = 0;
        while (!reached(end)) {
            if (System.nanoTime() > deadline) {
                problems.add(topic + ": not read to its end within " + timeout.toSeconds() + " s");
                break;
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (ProgressRecords.isProgress(r.headers())) {
                    continue;
                }
                JsonNode json = json(r.value());
                String id = json == null ? "" : json.path("eventId").asString("");
                if (id.isEmpty()) {
                    unreadable++;
                } else if (id.startsWith(prefix)) {
                    sink.accept(id, json, Headers.lastLong(r.headers(), Headers.INGESTED_AT_MS, -1));
                }
            }
        }
        if (unreadable > 0) {
            problems.add(topic + ": " + unreadable + " record(s) without a readable eventId");
        }
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode json(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return ContractMapper.shared().readTree(value);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A byte-array consumer that reads only committed records and commits no offsets: fleet-bench's readers. */
    public static Properties readCommittedConsumer(String bootstrapServers, String clientId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return p;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
