package io.streamfleet.alerts.intake;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * A consumer group whose offsets its reader commits itself, only past records it is done with (the webhook dispatcher,
 * each relay): {@code read_committed}, no auto-commit. A new group's start is committed at its first assignment, and
 * the reader commits what it finished before partitions are taken away.
 */
public final class ManualCommitGroup implements ConsumerRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(ManualCommitGroup.class);

    /** The reader's commit of what it finished, run on the loop's thread. */
    @FunctionalInterface
    public interface Commit {
        void finished(KafkaConsumer<byte[], byte[]> kafka, Collection<TopicPartition> revoked);
    }

    private final String name;
    private final Commit beforeRevoke;
    private volatile boolean assigned;
    private KafkaConsumer<byte[], byte[]> kafka;

    public ManualCommitGroup(String name, Commit beforeRevoke) {
        this.name = name;
        this.beforeRevoke = beforeRevoke;
    }

    /** The consumer settings of such a group: at most 200 records a poll, so a commit is never far away. */
    public static Map<String, Object> config(String groupId, String autoOffsetReset, String clientId) {
        return Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, autoOffsetReset,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200,
                ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    }

    /** Joins the group on the loop's thread. */
    public void subscribe(KafkaConsumer<byte[], byte[]> consumer, List<String> topics) {
        this.kafka = consumer;
        consumer.subscribe(topics, this);
    }

    /** True once partitions are assigned and their start offsets are fixed (committed). */
    public boolean isAssigned() {
        return assigned;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        beforeRevoke.finished(kafka, partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        // fix where a new group starts ("latest" is otherwise resolved lazily and lost on a restart)
        Map<TopicPartition, OffsetAndMetadata> committed = kafka.committed(new HashSet<>(partitions));
        Map<TopicPartition, OffsetAndMetadata> initial = new HashMap<>();
        for (TopicPartition tp : partitions) {
            if (committed.get(tp) == null) {
                initial.put(tp, new OffsetAndMetadata(kafka.position(tp)));
            }
        }
        if (!initial.isEmpty()) {
            kafka.commitSync(initial);
        }
        log.info("{} assigned {}", name, partitions);
        assigned = true;
    }
}
