package io.streamfleet.support.time;

/**
 * Stream time of one partition that never goes back: the highest event time seen, moved on by the idle rule of SPEC
 * §4 (after an idle timeout, by the wall-clock time elapsed since the last record — never to the wall-clock time).
 * Once idle advance has moved it, a later record with an older event time does not pull it back.
 */
public final class MonotonicStreamTime {

    private final IdleClock idle;
    private long current = Long.MIN_VALUE;

    public MonotonicStreamTime(long idleTimeoutMs) {
        this.idle = new IdleClock(idleTimeoutMs);
    }

    /** Restores persisted stream time after a restart, as if its last record arrived at {@code wallClockMs}. */
    public void restore(long persistedMs, long wallClockMs) {
        if (persistedMs != Long.MIN_VALUE) {
            idle.restore(persistedMs, wallClockMs);
            current = Math.max(current, persistedMs);
        }
    }

    /** Notes an accepted record and returns the new stream time. */
    public long onRecord(long eventTimeMs, long wallClockMs) {
        idle.onRecord(eventTimeMs, wallClockMs);
        // idle advance already applied stays the base of the next idle advance
        idle.restore(current, wallClockMs);
        current = Math.max(current, idle.streamTimeMs(wallClockMs));
        return current;
    }

    /** Applies idle advance at {@code wallClockMs} and returns the stream time. */
    public long advance(long wallClockMs) {
        if (!idle.isEmpty()) {
            current = Math.max(current, idle.streamTimeMs(wallClockMs));
        }
        return current;
    }

    public long current() {
        return current;
    }
}
