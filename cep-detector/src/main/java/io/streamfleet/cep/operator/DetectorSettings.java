package io.streamfleet.cep.operator;

import io.streamfleet.cep.burst.BurstSettings;

import java.time.Duration;

/**
 * What the operator needs beyond the pattern: when idle partitions start advancing by wall clock, and how often
 * punctuation drains and evaluates.
 *
 * @param burst               pattern thresholds, windows and lateness
 * @param idleTimeout         wall-clock silence after which stream time advances by elapsed wall time
 * @param punctuationInterval wall-clock and stream-time punctuation interval
 */
public record DetectorSettings(BurstSettings burst, Duration idleTimeout, Duration punctuationInterval) {

    public DetectorSettings {
        if (burst == null) {
            throw new IllegalArgumentException("burst settings are required");
        }
        if (idleTimeout == null || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must be >= 0");
        }
        if (punctuationInterval == null || punctuationInterval.toMillis() < 1) {
            throw new IllegalArgumentException("punctuationInterval must be >= 1 ms");
        }
    }

    public static DetectorSettings defaults() {
        return new DetectorSettings(BurstSettings.defaults(), Duration.ofSeconds(1), Duration.ofMillis(100));
    }
}
