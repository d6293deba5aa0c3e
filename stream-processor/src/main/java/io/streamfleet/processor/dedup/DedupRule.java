package io.streamfleet.processor.dedup;

import java.time.Duration;

/**
 * First occurrence wins: an event whose id was already seen at an event time at most {@code retention} away from its
 * own is a duplicate; once the first occurrence is further away than the retention, the id counts as new again.
 *
 * @param retentionMs how far (event time) an id is remembered
 */
public record DedupRule(long retentionMs) {

    public DedupRule {
        if (retentionMs < 1) {
            throw new IllegalArgumentException("dedup retention must be >= 1 ms, was " + retentionMs);
        }
    }

    public static DedupRule of(Duration retention) {
        return new DedupRule(retention.toMillis());
    }

    /** Earliest first-seen time that makes an event at {@code eventTimeMs} a duplicate. */
    public long lookupFromMs(long eventTimeMs) {
        return saturatedMinus(eventTimeMs, retentionMs);
    }

    /** Latest first-seen time that makes an event at {@code eventTimeMs} a duplicate. */
    public long lookupToMs(long eventTimeMs) {
        return eventTimeMs > Long.MAX_VALUE - retentionMs ? Long.MAX_VALUE : eventTimeMs + retentionMs;
    }

    public boolean isDuplicate(long firstSeenMs, long eventTimeMs) {
        return Math.abs(eventTimeMs - firstSeenMs) <= retentionMs;
    }

    /** How long the id store must keep an id: the retention plus how late an accepted event may still be. */
    public long storeRetentionMs(long allowedLatenessMs) {
        return retentionMs + allowedLatenessMs;
    }

    private static long saturatedMinus(long a, long b) {
        return a < Long.MIN_VALUE + b ? Long.MIN_VALUE : a - b;
    }
}
