package io.streamfleet.drills;

/**
 * Hands each engagement drill of one fleet its own stretch of compressed engagement event time, in order and without
 * overlap. The drills share one broker: a drill whose clock started behind the stream time an earlier drill left on
 * the engagement partitions would see all its events diverted as late (the rebalance drill did, after
 * streams-crash, until this existed). The stretches start a day before the first drill, so each still ends in the
 * past as the gateway requires.
 */
final class EngagementClocks {

    static final long BUDGET_MS = 24 * 3_600_000L;
    /** Between two stretches: beyond the session gap (30 min) and the engagement lateness (120 s). */
    static final long GAP_MS = 35 * 60_000L;

    private long nextOriginMs;

    /** The origin of a stretch of {@code spanMs} event time for a drill starting at {@code startMs}. */
    synchronized long next(long startMs, long spanMs) {
        if (nextOriginMs == 0) {
            nextOriginMs = startMs - BUDGET_MS;
        }
        long origin = nextOriginMs;
        if (origin + spanMs > startMs - GAP_MS) {
            throw new IllegalStateException("the fleet's engagement event time is used up (" + BUDGET_MS / 3_600_000
                    + " h for all drills with engagement traffic): run fewer or shorter engagement drills per fleet");
        }
        nextOriginMs = origin + spanMs + GAP_MS;
        return origin;
    }
}
