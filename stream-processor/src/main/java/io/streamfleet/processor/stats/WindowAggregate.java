package io.streamfleet.processor.stats;

import io.streamfleet.contracts.Decimals;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.stats.OrderWindowStats;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Running totals of one window of one key: counts per event type, notional (sum of price × qty over every event,
 * kept as an exact decimal so the result does not depend on arrival order), the sorted distinct price levels,
 * and the latest gateway ingestion time seen (for end-to-end latency). Immutable: {@link #add} and {@link #merge}
 * return a new value.
 */
public record WindowAggregate(long created, long cancelled, long filled, BigDecimal notional, long[] levels,
                              long lastIngestedAtMs) {

    public static final long NO_INGESTION = -1;

    public static WindowAggregate empty() {
        return new WindowAggregate(0, 0, 0, BigDecimal.ZERO, new long[0], NO_INGESTION);
    }

    public WindowAggregate add(OrderEvent event, long level, long ingestedAtMs) {
        return add(event, level, notionalOf(event), ingestedAtMs);
    }

    /** Price × qty of one event, exact. */
    public static BigDecimal notionalOf(OrderEvent event) {
        return BigDecimal.valueOf(event.price()).multiply(BigDecimal.valueOf(event.qty()));
    }

    /** As {@link #add(OrderEvent, long, long)}, with the event's {@link #notionalOf notional} computed by the caller. */
    public WindowAggregate add(OrderEvent event, long level, BigDecimal value, long ingestedAtMs) {
        long c = created;
        long x = cancelled;
        long f = filled;
        switch (event.eventType()) {
            case CREATED -> c++;
            case CANCELLED -> x++;
            case FILLED -> f++;
        }
        return new WindowAggregate(c, x, f, notional.add(value), withLevel(level),
                Math.max(lastIngestedAtMs, ingestedAtMs));
    }

    /**
     * The totals of this aggregate's events and {@code other}'s together, as if every event had been added to one
     * aggregate (the two must hold disjoint events): counts and notional add, levels unite, the latest ingestion
     * time wins. Commutative and associative, so a window can be composed from its panes in any grouping.
     */
    public WindowAggregate merge(WindowAggregate other) {
        return new WindowAggregate(created + other.created, cancelled + other.cancelled, filled + other.filled,
                notional.add(other.notional), union(levels, other.levels),
                Math.max(lastIngestedAtMs, other.lastIngestedAtMs));
    }

    /** cancelled / created, 3 decimals half-up; 0 when nothing was created. */
    public double cancelRatio() {
        return created == 0 ? 0.0 : Decimals.ratioHalfUp(cancelled, created, 3);
    }

    public OrderWindowStats toStats(String key, WindowSpec window, long startMs) {
        return new OrderWindowStats(key, window.name(), startMs, window.endOf(startMs), created, cancelled, filled,
                cancelRatio(), levels.length, notional.doubleValue());
    }

    private long[] withLevel(long level) {
        int at = Arrays.binarySearch(levels, level);
        if (at >= 0) {
            return levels;
        }
        int insert = -at - 1;
        long[] grown = new long[levels.length + 1];
        System.arraycopy(levels, 0, grown, 0, insert);
        grown[insert] = level;
        System.arraycopy(levels, insert, grown, insert + 1, levels.length - insert);
        return grown;
    }

    private static long[] union(long[] a, long[] b) {
        if (b.length == 0) {
            return a;
        }
        if (a.length == 0) {
            return b;
        }
        long[] merged = new long[a.length + b.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length || j < b.length) {
            long next = j == b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
            if (i < a.length && a[i] == next) {
                i++;
            }
            if (j < b.length && b[j] == next) {
                j++;
            }
            merged[n++] = next;
        }
        return n == merged.length ? merged : Arrays.copyOf(merged, n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowAggregate a && created == a.created && cancelled == a.cancelled
                && filled == a.filled && notional.compareTo(a.notional) == 0 && Arrays.equals(levels, a.levels)
                && lastIngestedAtMs == a.lastIngestedAtMs;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(created) * 31 + Arrays.hashCode(levels);
    }

    @Override
    public String toString() {
        return "WindowAggregate[created=" + created + ", cancelled=" + cancelled + ", filled=" + filled
                + ", notional=" + notional + ", levels=" + Arrays.toString(levels) + "]";
    }
}
