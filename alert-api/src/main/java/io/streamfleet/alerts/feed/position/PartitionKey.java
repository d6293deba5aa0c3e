package io.streamfleet.alerts.feed.position;

import java.util.Comparator;

/** A topic partition, without depending on the Kafka client. */
public record PartitionKey(String topic, int partition) implements Comparable<PartitionKey> {

    private static final Comparator<PartitionKey> ORDER =
            Comparator.comparing(PartitionKey::topic).thenComparingInt(PartitionKey::partition);

    public PartitionKey {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("topic must not be empty");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("partition must not be negative");
        }
    }

    @Override
    public int compareTo(PartitionKey other) {
        return ORDER.compare(this, other);
    }
}
