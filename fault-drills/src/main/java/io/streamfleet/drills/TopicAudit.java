package io.streamfleet.drills;

import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.topic.Headers;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads topics the way a downstream consumer of the fleet does ({@code read_committed}): eventIds in the clean and
 * late topics, alertIds in the alert topics. Only data records of one run (the id or key holds the run id) count,
 * and only from offsets taken when the drill started; progress records (null key and value, header
 * {@value ProgressRecords#SOURCE}) in the clean topics are never data and are skipped.
 */
public final class TopicAudit {

    static final List<String> CLEAN = List.of("orders.clean", "engagement.clean");
    /** Late topics; stream-processor, cep-detector and session-analytics divert here (stage in a header). */
    static final List<String> LATE = List.of("orders.late", "engagement.late", "orders.cep.late");
    static final String FIRST_STAGE = "stream-processor";
    private static final Pattern EVENT_ID = Pattern.compile("\"eventId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ALERT_ID = Pattern.compile("\"alertId\"\\s*:\\s*\"([^\"]+)\"");

    private final String bootstrap;

    public TopicAudit(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /**
     * Where the run's events are.
     *
     * @param records  eventId → its records in the clean topics and among stream-processor's diversions, where each
     *                 acknowledged event must be exactly once ({@code topic-partition@offset})
     * @param diverted eventId → its records in any late topic, by any stage ({@code topic-partition@offset by stage})
     */
    public record EventRecords(Map<String, List<String>> records, Map<String, List<String>> diverted) {
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

    /** The run's events in the clean and late topics, from the given offsets on, in one pass. */
    public EventRecords events(Map<TopicPartition, Long> from, String runId) {
        Map<String, List<String>> records = new HashMap<>();
        Map<String, List<String>> diverted = new HashMap<>();
        List<String> topics = new ArrayList<>(CLEAN);
        topics.addAll(LATE);
        read(topics, from, r -> {
            String id = eventId(r, runId);
            if (id == null) {
                return;
            }
            String where = r.topic() + "-" + r.partition() + "@" + r.offset();
            if (LATE.contains(r.topic())) {
                String stage = stage(r);
                diverted.computeIfAbsent(id, k -> new ArrayList<>(1)).add(where + " by " + stage);
                if (!FIRST_STAGE.equals(stage)) {
                    return;
                }
            }
            records.computeIfAbsent(id, k -> new ArrayList<>(1)).add(where);
        });
        return new EventRecords(records, diverted);
    }

    /** alertId → number of committed alert records, for alerts of the run. */
    public Map<String, Integer> alertIds(List<String> topics, Map<TopicPartition, Long> from, String runId) {
        Map<String, Integer> counts = new HashMap<>();
        read(topics, from, r -> {
            String id = dataId(r, ALERT_ID, runId);
            if (id != null) {
                counts.merge(id, 1, Integer::sum);
            }
        });
        return counts;
    }

    /** alertId → the alert's record key, for the run's alerts in the topics. */
    public Map<String, String> alertKeys(List<String> topics, Map<TopicPartition, Long> from, String runId) {
        Map<String, String> keys = new HashMap<>();
        read(topics, from, r -> {
            String id = dataId(r, ALERT_ID, runId);
            if (id != null) {
                keys.put(id, r.key() == null ? "" : r.key());
            }
        });
        return keys;
    }

    /**
     * The id of a data record of the run, or null for a progress record, a tombstone, a record without the id or
     * a record of another run (neither its key nor its id holds the run id).
     */
    static String dataId(ConsumerRecord<String, String> r, Pattern idPattern, String runId) {
        if (ProgressRecords.isProgress(r.headers()) || r.value() == null) {
            return null;
        }
        Matcher m = idPattern.matcher(r.value());
        if (!m.find()) {
            return null;
        }
        String key = r.key() == null ? "" : r.key();
        return key.contains(runId) || m.group(1).contains(runId) ? m.group(1) : null;
    }

    /** The eventId of a data record of the run, or null (see {@link #dataId}). */
    static String eventId(ConsumerRecord<String, String> r, String runId) {
        return dataId(r, EVENT_ID, runId);
    }

    static String stage(ConsumerRecord<String, String> r) {
        Header h = r.headers().lastHeader(Headers.LATE_AT_STAGE);
        return h == null || h.value() == null ? "unknown stage" : new String(h.value(), StandardCharsets.UTF_8);
    }

    private void read(List<String> topics, Map<TopicPartition, Long> from,
                      Consumer<ConsumerRecord<String, String>> each) {
        try (KafkaConsumer<String, String> c = consumer()) {
            List<TopicPartition> parts = partitions(c, topics);
            c.assign(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            for (TopicPartition tp : parts) {
                c.seek(tp, from.getOrDefault(tp, 0L));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!reachedEnd(c, parts, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topics + " to their end within 120 s");
                }
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    each.accept(r);
                }
            }
        }
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
