package io.streamfleet.alerts.feed.position;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per partition, the offset of the next record a reader has not seen yet. An SSE event id is the vector right after
 * that event, so resuming means reading every partition from its offset: no gap, no duplicate. Immutable.
 */
public final class PositionVector {

    private static final PositionVector EMPTY = new PositionVector(new TreeMap<>());
    private final TreeMap<PartitionKey, Long> next;

    private PositionVector(TreeMap<PartitionKey, Long> next) {
        this.next = next;
    }

    public static PositionVector empty() {
        return EMPTY;
    }

    public static PositionVector of(Map<PartitionKey, Long> next) {
        TreeMap<PartitionKey, Long> copy = new TreeMap<>();
        next.forEach((key, offset) -> copy.put(key, checked(offset)));
        return new PositionVector(copy);
    }

    /** Next unseen offset of a partition, or -1 when the vector does not know the partition. */
    public long nextOffset(PartitionKey partition) {
        return next.getOrDefault(partition, -1L);
    }

    /** Whether the record at {@code offset} of {@code partition} lies at or after this position (not seen yet). */
    public boolean isUnseen(PartitionKey partition, long offset) {
        return offset >= next.getOrDefault(partition, 0L);
    }

    /** The position after having seen the record at {@code offset}; never moves backwards. */
    public PositionVector after(PartitionKey partition, long offset) {
        long candidate = checked(offset) + 1;
        if (next.getOrDefault(partition, -1L) >= candidate) {
            return this;
        }
        TreeMap<PartitionKey, Long> copy = new TreeMap<>(next);
        copy.put(partition, candidate);
        return new PositionVector(copy);
    }

    public Map<PartitionKey, Long> asMap() {
        return Collections.unmodifiableMap(next);
    }

    public boolean isEmpty() {
        return next.isEmpty();
    }

    private static long checked(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offsets must not be negative: " + offset);
        }
        return offset;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PositionVector that && next.equals(that.next);
    }

    @Override
    public int hashCode() {
        return next.hashCode();
    }

    @Override
    public String toString() {
        return next.toString();
    }
}
