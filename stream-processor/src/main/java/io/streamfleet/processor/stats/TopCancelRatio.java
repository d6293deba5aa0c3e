package io.streamfleet.processor.stats;

import io.streamfleet.contracts.stats.OrderWindowStats;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Top-N keys by cancel ratio over the last minute: for each key its most recently closed one-minute window among
 * those that closed within the last minute (window end after {@code latestClosedEnd − lastMinute}); ranked by cancel
 * ratio, then created count (more evidence first), then key. Keys with fewer than {@code minCreated} creates are left
 * out, so a single create-and-cancel does not top the list. Used both per instance and to merge the instances' lists.
 */
public final class TopCancelRatio {

    private static final Comparator<OrderWindowStats> RANK = Comparator
            .comparingDouble(OrderWindowStats::cancelRatio).reversed()
            .thenComparing(Comparator.comparingLong(OrderWindowStats::created).reversed())
            .thenComparing(OrderWindowStats::key);

    private TopCancelRatio() {
    }

    /**
     * @param candidates      closed windows of one family, any keys, any order
     * @param latestClosedEnd the latest window end closed (by any instance)
     * @param lastMinuteMs    how far back "last minute" reaches
     */
    public static List<OrderWindowStats> rank(Collection<OrderWindowStats> candidates, long latestClosedEnd,
                                              long lastMinuteMs, long minCreated, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, was " + n);
        }
        long after = latestClosedEnd - lastMinuteMs;
        Map<String, OrderWindowStats> latestPerKey = new HashMap<>();
        for (OrderWindowStats stats : candidates) {
            if (stats.windowEndMs() > after && stats.windowEndMs() <= latestClosedEnd && stats.created() >= minCreated) {
                latestPerKey.merge(stats.key(), stats, (a, b) -> a.windowEndMs() >= b.windowEndMs() ? a : b);
            }
        }
        return latestPerKey.values().stream().sorted(RANK).limit(n).toList();
    }
}
