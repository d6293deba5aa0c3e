package io.streamfleet.session.metrics;

/**
 * Session windows in event time (docs/session-analytics.md#sessions-and-engagement-drops): events of one user no more
 * than {@code gapMs} apart belong to one session; an event more than {@code graceMs} behind stream time is late. A
 * session is closed — final, published, never touched again — once stream time passes its end by more than gap + grace;
 * from then on no event that is not late can reach it, so closing and lateness never disagree.
 */
public record SessionWindowRule(long gapMs, long graceMs) {

    public SessionWindowRule {
        if (gapMs <= 0) {
            throw new IllegalArgumentException("session gap must be positive, was " + gapMs + " ms");
        }
        if (graceMs < 0) {
            throw new IllegalArgumentException("session grace must not be negative, was " + graceMs + " ms");
        }
    }

    /** True when an event at {@code eventTimeMs} joins (or bridges to) the session {@code [startMs, endMs]}. */
    public boolean joins(long eventTimeMs, long startMs, long endMs) {
        return eventTimeMs >= startMs - gapMs && eventTimeMs <= endMs + gapMs;
    }

    /** Late: behind stream time by more than the grace. Nothing is late before the first event. */
    public boolean isLate(long eventTimeMs, long streamTimeMs) {
        return streamTimeMs != Long.MIN_VALUE && eventTimeMs < streamTimeMs - graceMs;
    }

    /** The oldest event time that is not late at {@code streamTimeMs}. */
    public long watermarkMs(long streamTimeMs) {
        return streamTimeMs - graceMs;
    }

    /** True when a session ending at {@code endMs} is closed at {@code streamTimeMs}. */
    public boolean isClosed(long endMs, long streamTimeMs) {
        return streamTimeMs != Long.MIN_VALUE && endMs < streamTimeMs - gapMs - graceMs;
    }

    /** Sessions ending strictly before this time are closed at {@code streamTimeMs}. */
    public long closedBeforeMs(long streamTimeMs) {
        return streamTimeMs - gapMs - graceMs;
    }
}
