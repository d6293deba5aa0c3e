package io.streamfleet.alerts.feed;

import io.streamfleet.alerts.feed.position.PartitionKey;
import io.streamfleet.alerts.feed.position.PositionVector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Where a new feed client starts: the last stable offset of every alert partition ({@code read_committed} end). */
public final class EndOffsets implements AutoCloseable {

    private final Admin admin;
    private final List<String> topics;
    private final Duration timeout;

    public EndOffsets(Admin admin, List<String> topics, Duration timeout) {
        this.admin = admin;
        this.topics = List.copyOf(topics);
        this.timeout = timeout;
    }

    /** Blocking: call off the event loop. */
    public PositionVector latest() throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        described.values().forEach(description -> description.partitions().forEach(
                info -> request.put(new TopicPartition(description.name(), info.partition()), OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found = admin
                .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<PartitionKey, Long> next = new HashMap<>();
        found.forEach((tp, info) -> next.put(new PartitionKey(tp.topic(), tp.partition()), info.offset()));
        return PositionVector.of(next);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
