package io.streamfleet.drills;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads topics the way a downstream consumer of the fleet does ({@code read_committed}) and counts records per id:
 * eventId for the clean and late topics, alertId for the alert topics. Only records of one run (the id or key holds
 * the run id) are counted, and only from offsets taken when the drill started.
 */
public final class TopicAudit {

    private static final Pattern EVENT_ID = Pattern.compile("\"eventId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ALERT_ID = Pattern.compile("\"alertId\"\\s*:\\s*\"([^\"]+)\"");

    private final String bootstrap;

    public TopicAudit(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    private KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000),
                new StringDeserializer(), new StringDeserializer());
    }

    /** The last stable offset of every partition of the topics (where a read_committed reader ends). */
    public Map<TopicPartition, Long> endOffsets(List<String> topics) {
        try (KafkaConsumer<String, String> c = consumer()) {
            return c.endOffsets(partitions(c, topics), Duration.ofSeconds(30));
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, String> c, List<String> topics) {
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo p : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                all.add(new TopicPartition(topic, p.partition()));
            }
        }
        return all;
    }

    /**
     * eventId → number of committed records holding it, in the topics from the given offsets on. In a late topic
     * only the records stream-processor diverted count (detectors write their own late events to it too).
     */
    public Map<String, Integer> eventIds(List<String> topics, Map<TopicPartition, Long> from, String runId) {
        return counts(locate(topics, from, runId, EVENT_ID, "stream-processor"));
    }

    /** eventId → where each of its records is ({@code topic-partition@offset}), for explaining duplicates. */
    public Map<String, List<String>> eventLocations(List<String> topics, Map<TopicPartition, Long> from,
                                                   String runId) {
        return locate(topics, from, runId, EVENT_ID, "stream-processor");
    }

    private static Map<String, Integer> counts(Map<String, List<String>> locations) {
        Map<String, Integer> counts = new HashMap<>();
        locations.forEach((id, where) -> counts.put(id, where.size()));
        return counts;
    }

    /** eventId → count of events that a given stage (cep-detector, session-analytics) sent to a late topic. */
    public Map<String, Integer> lateAt(List<String> lateTopics, Map<TopicPartition, Long> from, String runId,
                                       String stage) {
        return counts(locate(lateTopics, from, runId, EVENT_ID, stage));
    }

    /** alertId → number of committed alert records, for alerts whose key holds the run id. */
    public Map<String, Integer> alertIds(List<String> topics, Map<TopicPartition, Long> from, String runId) {
        return counts(locate(topics, from, runId, ALERT_ID, null));
    }

    private static String stage(ConsumerRecord<String, String> r) {
        org.apache.kafka.common.header.Header h = r.headers().lastHeader(io.streamfleet.contracts.topic.Headers.LATE_AT_STAGE);
        return h == null ? "" : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private Map<String, List<String>> locate(List<String> topics, Map<TopicPartition, Long> from, String runId,
                                             Pattern idPattern, String lateStage) {
        Map<String, List<String>> found = new HashMap<>();
        try (KafkaConsumer<String, String> c = consumer()) {
            List<TopicPartition> parts = partitions(c, topics);
            c.assign(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            for (TopicPartition tp : parts) {
                c.seek(tp, from.getOrDefault(tp, 0L));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!reachedEnd(c, parts, end) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    String key = r.key() == null ? "" : r.key();
                    if (r.value() == null
                            || lateStage != null && r.topic().endsWith(".late") && !lateStage.equals(stage(r))) {
                        continue;
                    }
                    Matcher m = idPattern.matcher(r.value());
                    if (m.find() && (key.contains(runId) || m.group(1).contains(runId))) {
                        found.computeIfAbsent(m.group(1), k -> new ArrayList<>(1))
                                .add(r.topic() + "-" + r.partition() + "@" + r.offset());
                    }
                }
            }
        }
        return found;
    }

    private static boolean reachedEnd(KafkaConsumer<String, String> c, List<TopicPartition> parts,
                                      Map<TopicPartition, Long> end) {
        for (TopicPartition tp : parts) {
            if (c.position(tp) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }
}
