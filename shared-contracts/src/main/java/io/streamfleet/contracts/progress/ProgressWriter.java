package io.streamfleet.contracts.progress;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

/**
 * Writes progress records to every partition of some topics through the producer that writes the data, so each mark
 * lands after every record that producer sent to the partition before it (per-partition order of one producer).
 * For the gateway, and for anyone who writes to the raw topics directly: call {@link #tick()} at a fixed interval
 * (the fleet uses 200 ms) and {@link #leave()} once, after the last data record, when shutting down.
 *
 * <p>Keep the producer idempotent (the default of current Kafka clients), so retries cannot reorder a mark before
 * data sent ahead of it. Not thread-safe: call it from one thread.
 */
public final class ProgressWriter<K, V> {

    private final Producer<K, V> producer;
    private final List<String> topics;
    private final String source;
    private final LongSupplier clock;

    /**
     * @param source this producer's instance id: unique among the writers of the topics, stable for its lifetime
     * @param clock  epoch ms; the same clock for every mark of this writer
     */
    public ProgressWriter(Producer<K, V> producer, List<String> topics, String source, LongSupplier clock) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topics = List.copyOf(topics);
        this.source = source;
        this.clock = Objects.requireNonNull(clock, "clock");
        ProgressMark.clock(source, 0); // validates the source id now, not at the first tick
    }

    public String source() {
        return source;
    }

    /** Writes a {@code clock} mark to every partition of every topic; returns the sends' futures. */
    public List<Future<RecordMetadata>> tick() {
        return writeAll(ProgressMark.clock(source, clock.getAsLong()));
    }

    /** Writes a {@code leaving} mark to every partition: after it, this writer no longer holds time back. */
    public List<Future<RecordMetadata>> leave() {
        return writeAll(ProgressMark.leaving(source, clock.getAsLong()));
    }

    private List<Future<RecordMetadata>> writeAll(ProgressMark mark) {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo partition : producer.partitionsFor(topic)) {
                sends.add(producer.send(ProgressRecords.record(topic, partition.partition(), mark)));
            }
        }
        return sends;
    }
}
