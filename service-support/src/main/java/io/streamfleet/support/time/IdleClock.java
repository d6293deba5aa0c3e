package io.streamfleet.support.time;

/**
 * Keeps event time moving on an idle partition (SPEC §4): once no record has arrived for {@code idleTimeoutMs} of
 * wall-clock time, the effective stream time is the last record's stream time plus the wall-clock time elapsed since
 * that record — never the wall-clock time itself, so replayed historical data behaves exactly like live data.
 * Not thread-safe: one instance per stream task.
 */
public final class IdleClock {

    private final long idleTimeoutMs;
    private long streamTimeMs = Long.MIN_VALUE;
    private long lastRecordWallMs = Long.MIN_VALUE;

    public IdleClock(long idleTimeoutMs) {
        if (idleTimeoutMs < 0) {
            throw new IllegalArgumentException("idleTimeoutMs must be >= 0, was " + idleTimeoutMs);
        }
        this.idleTimeoutMs = idleTimeoutMs;
    }

    /** Notes a record: stream time is the highest event time seen. */
    public void onRecord(long eventTimeMs, long wallClockMs) {
        streamTimeMs = Math.max(streamTimeMs, eventTimeMs);
        lastRecordWallMs = wallClockMs;
    }

    /** Restores the clock after a restart, from persisted stream time, as if the last record arrived now. */
    public void restore(long persistedStreamTimeMs, long wallClockMs) {
        if (persistedStreamTimeMs > streamTimeMs) {
            streamTimeMs = persistedStreamTimeMs;
            lastRecordWallMs = wallClockMs;
        }
    }

    /** True until the first record (or restore). */
    public boolean isEmpty() {
        return streamTimeMs == Long.MIN_VALUE;
    }

    /** Highest event time seen, ignoring idleness. */
    public long observedStreamTimeMs() {
        return streamTimeMs;
    }

    /** Stream time including idle advance at wall-clock time {@code wallClockMs}. */
    public long streamTimeMs(long wallClockMs) {
        if (isEmpty()) {
            return Long.MIN_VALUE;
        }
        long idleFor = wallClockMs - lastRecordWallMs;
        return idleFor >= idleTimeoutMs ? streamTimeMs + idleFor : streamTimeMs;
    }
}
