package io.streamfleet.support.streams;

import org.apache.kafka.common.TopicPartition;

import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The highest offset per input partition that the main consumer has handed to Kafka Streams (recorded by
 * {@link FetchedOffsetsInterceptor}). Streams buffers fetched records per task, so the consumer's lag can be zero
 * while thousands of records still wait for their turn on the stream thread; comparing this offset with the last one
 * a processor has seen tells the two apart. One instance per streams client, found by the interceptor through a
 * registry key in the consumer configuration (Kafka instantiates interceptors itself).
 */
public final class FetchedOffsets implements AutoCloseable {

    /** Consumer configuration key carrying the registry id to the interceptor. */
    static final String REGISTRY_ID_CONFIG = "streamfleet.fetched-offsets.id";

    private static final Map<String, FetchedOffsets> REGISTRY = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();
    private final Map<TopicPartition, Long> highest = new ConcurrentHashMap<>();

    private FetchedOffsets() {
    }

    /** A new tracker, registered until {@link #close()}. */
    public static FetchedOffsets register() {
        FetchedOffsets tracker = new FetchedOffsets();
        REGISTRY.put(tracker.id, tracker);
        return tracker;
    }

    static FetchedOffsets lookup(String id) {
        return id == null ? null : REGISTRY.get(id);
    }

    String id() {
        return id;
    }

    void fetched(TopicPartition partition, long offset) {
        highest.merge(partition, offset, Math::max);
    }

    /** Highest offset fetched for the partition since this client started, if any. */
    public OptionalLong highestFetched(String topic, int partition) {
        Long offset = highest.get(new TopicPartition(topic, partition));
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    @Override
    public void close() {
        REGISTRY.remove(id);
    }
}
