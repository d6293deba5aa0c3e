package io.streamfleet.bench.late;

import io.streamfleet.contracts.json.ContractMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the event ids of one run from late topics: every partition from the beginning up to the end offsets seen when
 * the read starts (read_committed, as the services' transactions commit them). A run's event ids all start with its
 * run id.
 */
public final class LateTopicReader {

    private final String bootstrapServers;
    private final Duration timeout;

    public LateTopicReader(String bootstrapServers, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
    }

    /** Ids per topic, in offset order per partition; {@code problems} collects what could not be read. */
    public Map<String, List<String>> read(List<String> topics, String runId, List<String> problems) {
        Map<String, List<String>> ids = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties())) {
            for (String topic : topics) {
                try {
                    ids.put(topic, readTopic(consumer, topic, runId + "-", problems));
                } catch (RuntimeException e) {
                    problems.add(topic + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
                }
            }
        }
        return ids;
    }

    private List<String> readTopic(KafkaConsumer<byte[], byte[]> consumer, String topic, String prefix,
                                   List<String> problems) {
        List<String> ids = new ArrayList<>();
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            return ids;
        }
        List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        long unreadable = 0;
        while (!reached(consumer, end)) {
            if (System.nanoTime() > deadline) {
                problems.add(topic + ": not read to its end within " + timeout.toSeconds() + " s");
                break;
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                String id = eventId(r.value());
                if (id == null) {
                    unreadable++;
                } else if (id.startsWith(prefix)) {
                    ids.add(id);
                }
            }
        }
        if (unreadable > 0) {
            problems.add(topic + ": " + unreadable + " record(s) without a readable eventId");
        }
        return ids;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static String eventId(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            String id = ContractMapper.shared().readTree(value).path("eventId").asString("");
            return id.isEmpty() ? null : id;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "fleet-bench-late-audit");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        return p;
    }
}
