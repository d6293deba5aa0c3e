package io.streamfleet.bench.lag;

import io.streamfleet.bench.topic.RunTopicReader;
import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.progress.ProgressKind;
import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * Reads the fleet's engagement stream time: the highest event time or {@code stream-time} mark among the last records
 * of each partition of {@code engagement.clean}. stream-processor writes such a mark whenever a partition's time moves,
 * also while it is idle (docs/event-time.md), so the tail holds the current time. Empty when the fleet has seen no
 * engagement event (fresh state).
 */
public final class EngagementStreamTime {

    private static final int TAIL = 64;

    private final String bootstrapServers;
    private final String topic;
    private final Duration timeout;

    public EngagementStreamTime(String bootstrapServers, Duration timeout) {
        this(bootstrapServers, Topics.ENGAGEMENT_CLEAN.name(), timeout);
    }

    EngagementStreamTime(String bootstrapServers, String topic, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.timeout = timeout;
    }

    /** @throws IllegalStateException when the topic cannot be read within the timeout */
    public OptionalLong read() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                return OptionalLong.empty();
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            for (TopicPartition p : partitions) {
                consumer.seek(p, Math.max(begin.get(p), end.get(p) - TAIL));
            }
            long max = Long.MIN_VALUE;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(topic + " not read to its end within " + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    max = Math.max(max, timeOf(r));
                }
            }
            return max == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(max);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IllegalStateException("cannot read " + topic + " at " + bootstrapServers + ": " + e.getMessage(), e);
        }
    }

    /** The event time a record vouches for: a stream-time mark's time or an event's time; MIN_VALUE otherwise. */
    static long timeOf(ConsumerRecord<byte[], byte[]> r) {
        if (ProgressRecords.isProgress(r.headers())) {
            try {
                ProgressMark mark = ProgressRecords.read(r.headers());
                return mark.kind() == ProgressKind.STREAM_TIME ? mark.timeMs() : Long.MIN_VALUE;
            } catch (IllegalArgumentException e) {
                return Long.MIN_VALUE;
            }
        }
        if (r.value() == null) {
            return Long.MIN_VALUE;
        }
        try {
            var time = ContractMapper.shared().readTree(r.value()).path("eventTimeMs");
            return time.isIntegralNumber() ? time.asLong() : Long.MIN_VALUE;
        } catch (RuntimeException e) {
            return Long.MIN_VALUE;
        }
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private Properties properties() {
        Properties p = RunTopicReader.readCommittedConsumer(bootstrapServers, "fleet-bench-engagement-time");
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        return p;
    }
}
