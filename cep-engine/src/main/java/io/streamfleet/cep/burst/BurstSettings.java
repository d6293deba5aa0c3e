package io.streamfleet.cep.burst;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Thresholds and windows of the burst-create / mass-cancel pattern (docs/cep-detector.md#detection-rule). Validated on
 * construction.
 *
 * @param minCreates     smallest burst |B| (10)
 * @param minCancels     smallest cancel set |C| (8)
 * @param minCancelRatio smallest min(|C|,|B|)/|B| (0.80), compared exactly in decimal
 * @param minPriceLevels smallest number of distinct tick levels in B (3)
 * @param burstWindow    T1: B = creates in [t(c) − T1, t(c)] (2 s)
 * @param cancelWindow   T2: C = cancels after c with time ≤ t(c) + T2 (1 s)
 * @param tickSize       price tick (0.01)
 * @param lateness       allowed lateness behind stream time (3 s)
 */
public record BurstSettings(int minCreates, int minCancels, BigDecimal minCancelRatio, int minPriceLevels,
                            Duration burstWindow, Duration cancelWindow, BigDecimal tickSize, Duration lateness) {

    public BurstSettings {
        require(minCreates >= 1, "minCreates must be >= 1");
        require(minCancels >= 1, "minCancels must be >= 1");
        require(minCancelRatio != null && minCancelRatio.signum() >= 0 && minCancelRatio.compareTo(BigDecimal.ONE) <= 0,
                "minCancelRatio must be within [0, 1]");
        require(minPriceLevels >= 1, "minPriceLevels must be >= 1");
        require(burstWindow != null && !burstWindow.isNegative(), "burstWindow must be >= 0");
        require(cancelWindow != null && !cancelWindow.isNegative(), "cancelWindow must be >= 0");
        require(tickSize != null && tickSize.signum() > 0, "tickSize must be > 0");
        require(lateness != null && !lateness.isNegative(), "lateness must be >= 0");
    }

    /** The documented defaults (docs/cep-detector.md#configuration). */
    public static BurstSettings defaults() {
        return new BurstSettings(10, 8, new BigDecimal("0.80"), 3, Duration.ofSeconds(2), Duration.ofSeconds(1),
                new BigDecimal("0.01"), Duration.ofSeconds(3));
    }

    /** Span of event time the detector must remember: T1 + T2 + lateness. */
    public Duration horizon() {
        return burstWindow.plus(cancelWindow).plus(lateness);
    }

    public BurstSettings withLateness(Duration newLateness) {
        return new BurstSettings(minCreates, minCancels, minCancelRatio, minPriceLevels, burstWindow, cancelWindow,
                tickSize, newLateness);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("burst settings: " + message);
        }
    }
}
