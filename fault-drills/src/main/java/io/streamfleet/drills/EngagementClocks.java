package io.streamfleet.drills;

/**
 * Hands each engagement drill of one fleet its own stretch of compressed engagement event time, in order and without
 * overlap. The drills share one broker: a drill whose clock started behind the stream time an earlier drill left on
 * the engagement partitions would see all its events diverted as late (the rebalance drill did, after
 * streams-crash, until this existed). Between two drills that stream time keeps moving: the gateway's clock marks
 * advance an idle partition by the wall time that passes, so the next stretch starts that much later again. The
 * stretches start a day before the first drill, so each still ends in the past as the gateway requires.
 */
final class EngagementClocks {

    static final long BUDGET_MS = 24 * 3_600_000L;
    /** Between two stretches: beyond the session gap (30 min) and the engagement lateness (120 s). */
    static final long GAP_MS = 35 * 60_000L;

    private long nextOriginMs;
    private long lastStartMs;

    /** The origin of a stretch of {@code spanMs} event time for a drill starting at {@code startMs}. */
    synchronized long next(long startMs, long spanMs) {
        long origin = nextOriginMs == 0 ? startMs - BUDGET_MS : nextOriginMs + Math.max(0, startMs - lastStartMs);
        if (origin + spanMs > startMs - GAP_MS) {
            throw new IllegalStateException("the fleet's engagement event time is used up (" + BUDGET_MS / 3_600_000
                    + " h for all drills with engagement traffic): run fewer or shorter engagement drills per fleet");
        }
        nextOriginMs = origin + spanMs + GAP_MS;
        lastStartMs = startMs;
        return origin;
    }
}
