package io.streamfleet.cep.operator;

import io.streamfleet.cep.burst.BurstSettings;

import java.time.Duration;

/**
 * What the operator needs beyond the pattern: how far, in event time, data must move the watermark before buffered
 * events are drained and candidates evaluated. (A progress mark that moves the watermark evaluates at once.)
 *
 * @param burst               pattern thresholds, windows and lateness
 * @param punctuationInterval evaluation granularity in event time: data records trigger an evaluation once they
 *                            move the watermark at least this far past the last evaluated one
 */
public record DetectorSettings(BurstSettings burst, Duration punctuationInterval) {

    public DetectorSettings {
        if (burst == null) {
            throw new IllegalArgumentException("burst settings are required");
        }
        if (punctuationInterval == null || punctuationInterval.toMillis() < 1) {
            throw new IllegalArgumentException("punctuationInterval must be >= 1 ms");
        }
    }

    public static DetectorSettings defaults() {
        return new DetectorSettings(BurstSettings.defaults(), Duration.ofMillis(100));
    }
}
