package io.streamfleet.processor.topology;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.StreamPartitioner;

import java.util.Optional;
import java.util.Set;

/**
 * A record bound for a clean topic with the partition number of the raw record it came from. Data and the progress
 * records that vouch for it must share a partition, whatever partitioner the producer of the raw topic used, so the
 * clean sinks place records by this number instead of by key.
 *
 * @param partition input partition = output partition
 * @param value     the event, or {@code null} for a progress record (its mark is in the headers)
 */
record Routed(int partition, Object value) {

    /** Places every record in its input partition; fails loudly when the clean topic has fewer partitions. */
    static StreamPartitioner<String, Routed> partitioner() {
        return (topic, key, routed, partitions) -> {
            if (routed.partition() >= partitions) {
                throw new IllegalStateException("topic " + topic + " has " + partitions + " partitions but input "
                        + "partition " + routed.partition() + " must map to the same number: create the clean topics "
                        + "with as many partitions as the raw topics");
            }
            return Optional.of(Set.of(routed.partition()));
        };
    }

    /** Serializes the wrapped event with {@code events}; a progress record has no value. */
    static <V> Serializer<Routed> serializer(Serializer<V> events) {
        return new Serializer<>() {
            @Override
            public byte[] serialize(String topic, Routed routed) {
                return serialize(topic, null, routed);
            }

            @Override
            @SuppressWarnings("unchecked")
            public byte[] serialize(String topic, Headers headers, Routed routed) {
                return routed == null || routed.value() == null ? null
                        : events.serialize(topic, headers, (V) routed.value());
            }
        };
    }
}
