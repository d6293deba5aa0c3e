package io.streamfleet.drills;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * "Processing again" as Kafka sees it: a consumer group (a Streams application id, or alert-api's webhook group) has
 * committed progress on its input topics. Under exactly-once a commit is a committed transaction, so this is the
 * moment output becomes visible to read_committed readers again.
 */
public final class GroupProgress implements AutoCloseable {

    private final Admin admin;
    private final String bootstrap;

    public GroupProgress(String bootstrap) {
        this.bootstrap = bootstrap;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000));
    }

    /**
     * Committed offsets of the group on the given input topics (partitions it never committed are absent); retries
     * for up to 30 s when the broker does not answer, since an empty answer would read as "nothing committed".
     */
    public Map<TopicPartition, Long> committed(String group, List<String> topics) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            Map<TopicPartition, Long> answer = tryCommitted(group, topics);
            if (answer != null) {
                return answer;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("cannot read the committed offsets of " + group);
            }
            Sleep.ms(500);
        }
    }

    /** Committed offsets, or null when the broker did not answer. */
    Map<TopicPartition, Long> tryCommitted(String group, List<String> topics) {
        try {
            Map<TopicPartition, OffsetAndMetadata> all = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, Long> out = new HashMap<>();
            all.forEach((tp, om) -> {
                if (om != null && topics.contains(tp.topic())) {
                    out.put(tp, om.offset());
                }
            });
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            return null;
        }
    }

    private Map<TopicPartition, Long> lastStable(List<TopicPartition> partitions) {
        try {
            Map<TopicPartition, OffsetSpec> request = partitions.stream()
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(request, new org.apache.kafka.clients.admin.ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all().get(5, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        } catch (Exception e) {
            return Map.of();
        }
    }

    /**
     * Waits until every partition that had unprocessed input at {@code baseline} time (or got some since) has a
     * committed offset past its baseline; returns the wall time when that happened, or -1 on timeout.
     */
    public long awaitAdvance(String group, List<String> topics, Map<TopicPartition, Long> baseline, Duration timeout) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            Map<TopicPartition, Long> now = tryCommitted(group, topics);
            if (now == null) {
                Sleep.ms(200);
                continue;
            }
            Map<TopicPartition, Long> ends = lastStable(List.copyOf(baseline.keySet()));
            boolean all = !ends.isEmpty();
            for (Map.Entry<TopicPartition, Long> b : baseline.entrySet()) {
                long end = ends.getOrDefault(b.getKey(), 0L);
                long committed = now.getOrDefault(b.getKey(), -1L);
                // "+ 1": a transactional commit marker may follow the last record without being new input;
                // aborted records (a killed producer's open transaction) raise the end too, but are no input
                if (end > b.getValue() + 1 && committed <= b.getValue()
                        && hasCommittedRecords(b.getKey(), b.getValue(), end)) {
                    all = false;
                }
            }
            if (all) {
                return System.currentTimeMillis();
            }
            Sleep.ms(200);
        }
        return -1;
    }

    /**
     * Waits until the group has read and committed past every committed record (data or progress record) of the
     * topics as they stand; false on timeout. Only meaningful once nothing writes to the topics any more.
     */
    public boolean awaitCaughtUp(String group, List<String> topics, Duration timeout) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        List<TopicPartition> partitions = partitions(topics);
        while (System.currentTimeMillis() < deadline) {
            Map<TopicPartition, Long> now = tryCommitted(group, topics);
            Map<TopicPartition, Long> ends = lastStable(partitions);
            if (now != null && ends.size() == partitions.size()) {
                boolean all = true;
                for (TopicPartition tp : partitions) {
                    long from = Math.max(0, now.getOrDefault(tp, 0L));
                    // what lies between the commit and the end may be transaction markers only: no input left
                    if (from < ends.get(tp) && hasCommittedRecords(tp, from, ends.get(tp))) {
                        all = false;
                        break;
                    }
                }
                if (all) {
                    return true;
                }
            }
            Sleep.ms(500);
        }
        return false;
    }

    private List<TopicPartition> partitions(List<String> topics) {
        try {
            List<TopicPartition> out = new java.util.ArrayList<>();
            admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values()
                    .forEach(d -> d.partitions().forEach(p -> out.add(new TopicPartition(d.name(), p.partition()))));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe " + topics + ": " + e.getMessage(), e);
        }
    }

    private final Map<String, Boolean> inputSeen = new HashMap<>();

    /**
     * Whether a read_committed reader finds at least one record in [from, end) of the partition. Progress records
     * count: they are input the stage must read and commit past (they are what moves its time), unlike the audit,
     * where they are never data.
     */
    private boolean hasCommittedRecords(TopicPartition tp, long from, long end) {
        if (inputSeen.getOrDefault(tp + "@" + from, false)) {
            return true;
        }
        try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> c =
                     new org.apache.kafka.clients.consumer.KafkaConsumer<>(Map.of(
                             org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                             org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                             org.apache.kafka.clients.consumer.ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1),
                     new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                     new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            c.assign(List.of(tp));
            c.seek(tp, from);
            long deadline = System.currentTimeMillis() + 2_000;
            while (System.currentTimeMillis() < deadline && c.position(tp) < end) {
                if (!c.poll(Duration.ofMillis(200)).isEmpty()) {
                    inputSeen.put(tp + "@" + from, true);
                    return true;
                }
            }
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
