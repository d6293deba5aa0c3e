package io.streamfleet.contracts.topic;

import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic with the serdes of its key and value, so producers and consumers cannot disagree on them.
 *
 * @param name  topic name
 * @param key   key serde
 * @param value value serde
 */
public record Topic<K, V>(String name, Serde<K> key, Serde<V> value) {

    /** The same topic under another name (names can be overridden by configuration). */
    public Topic<K, V> named(String newName) {
        return new Topic<>(newName, key, value);
    }
}
