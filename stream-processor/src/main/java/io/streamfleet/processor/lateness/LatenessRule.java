package io.streamfleet.processor.lateness;

import java.time.Duration;

/**
 * An event is late when its event time is behind the watermark, i.e. stream time minus the allowed lateness. Late
 * events are diverted to a late topic and counted, never dropped silently.
 *
 * @param allowedLatenessMs how far behind stream time an event may still be accepted
 */
public record LatenessRule(long allowedLatenessMs) {

    public LatenessRule {
        if (allowedLatenessMs < 0) {
            throw new IllegalArgumentException("allowed lateness must be >= 0 ms, was " + allowedLatenessMs);
        }
    }

    public static LatenessRule of(Duration allowedLateness) {
        return new LatenessRule(allowedLateness.toMillis());
    }

    /** The watermark at {@code streamTimeMs}; {@link Long#MIN_VALUE} before any stream time exists. */
    public long watermarkMs(long streamTimeMs) {
        return streamTimeMs == Long.MIN_VALUE ? Long.MIN_VALUE : streamTimeMs - allowedLatenessMs;
    }

    public boolean isLate(long eventTimeMs, long streamTimeMs) {
        return eventTimeMs < watermarkMs(streamTimeMs);
    }
}
