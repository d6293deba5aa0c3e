package io.streamfleet.bench.scenario;

import java.math.BigDecimal;

/**
 * The detection-rule thresholds (docs/cep-detector.md#detection-rule) the scenario is labelled against (defaults as
 * shipped; override to match a configured detector).
 */
public record BurstRules(long burstWindowMs, long cancelWindowMs, int minCreates, int minCancels,
                         BigDecimal minCancelRatio, int minPriceLevels, BigDecimal tickSize, long latenessMs) {

    public static BurstRules defaults() {
        return new BurstRules(2_000, 1_000, 10, 8, new BigDecimal("0.80"), 3, new BigDecimal("0.01"), 3_000);
    }

    /** Tick level of a price, {@code round(price / tick)} half-up in decimal. */
    public long levelOf(double price) {
        return BigDecimal.valueOf(price).divide(tickSize, 0, java.math.RoundingMode.HALF_UP).longValueExact();
    }

    /** The price at a tick level, exact in decimal. */
    public double priceAt(long level) {
        return tickSize.multiply(BigDecimal.valueOf(level)).doubleValue();
    }
}
