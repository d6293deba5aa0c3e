package io.streamfleet.bench.report;

import org.HdrHistogram.Histogram;

/**
 * Summary of a latency histogram recorded in microseconds, reported in milliseconds. HdrHistogram keeps 3
 * significant digits, so each figure is within 0.1 % of the exact sample.
 */
public record Percentiles(long count, double meanMs, double p50Ms, double p90Ms, double p95Ms, double p99Ms,
                          double p999Ms, double maxMs) {

    public static Percentiles of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new Percentiles(0, 0, 0, 0, 0, 0, 0, 0);
        }
        return new Percentiles(micros.getTotalCount(), round(micros.getMean() / 1_000.0),
                ms(micros, 50), ms(micros, 90), ms(micros, 95), ms(micros, 99), ms(micros, 99.9),
                round(micros.getMaxValue() / 1_000.0));
    }

    private static double ms(Histogram h, double percentile) {
        return round(h.getValueAtPercentile(percentile) / 1_000.0);
    }

    public static double round(double ms) {
        return Math.round(ms * 1_000.0) / 1_000.0;
    }
}
