package io.streamfleet.processor.topology;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Map;

/**
 * An event read from a raw topic together with the bytes it was read from. The gate decides on the event and writes
 * the bytes, as they came, to the clean or late topic: no second JSON serialisation per record (the bytes parse to
 * the same event, with the same contract mapper, on the other side).
 *
 * @param event the parsed event
 * @param bytes its value bytes on the raw topic (the consumer's own copy; never modified)
 */
record RawEvent<V>(V event, byte[] bytes) {

    /** Reads with {@code events} and keeps the bytes; failures propagate to the deserialization handler unchanged. */
    static <V> Deserializer<RawEvent<V>> deserializer(Deserializer<V> events) {
        return new Deserializer<>() {
            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                events.configure(configs, isKey);
            }

            @Override
            public RawEvent<V> deserialize(String topic, byte[] data) {
                return wrap(events.deserialize(topic, data), data);
            }

            @Override
            public RawEvent<V> deserialize(String topic, Headers headers, byte[] data) {
                return wrap(events.deserialize(topic, headers, data), data);
            }

            @Override
            public void close() {
                events.close();
            }
        };
    }

    /** Writes the bytes as they were read. */
    static Serializer<RawEvent<?>> serializer() {
        return (topic, raw) -> raw == null ? null : raw.bytes();
    }

    private static <V> RawEvent<V> wrap(V event, byte[] data) {
        return event == null ? null : new RawEvent<>(event, data);
    }
}
