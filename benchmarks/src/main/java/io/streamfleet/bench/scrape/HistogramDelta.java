package io.streamfleet.bench.scrape;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What a cumulative Prometheus histogram recorded between two readings: counts per bucket upper bound. Quantiles are
 * interpolated inside their bucket as PromQL's {@code histogram_quantile} does, so they are as fine as the buckets
 * (Micrometer's percentile histograms: about 10 % apart, the lowest bound at the timer's minimum expected value).
 */
public record HistogramDelta(NavigableMap<Double, Double> cumulative) {

    public static HistogramDelta between(NavigableMap<Double, Double> before, NavigableMap<Double, Double> after) {
        NavigableMap<Double, Double> delta = new TreeMap<>();
        after.forEach((le, count) -> delta.put(le, count - before.getOrDefault(le, 0.0)));
        return new HistogramDelta(delta);
    }

    public double count() {
        return cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
    }

    /** The q-quantile (0..1) in the histogram's unit; NaN when nothing was recorded. */
    public double quantile(double q) {
        double total = count();
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound; // above the highest finite bucket: its bound is all that is known
                }
                double inBucket = bucket.getValue() - lowerCount;
                double share = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
                return lowerBound + (bucket.getKey() - lowerBound) * share;
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return lowerBound;
    }
}
