package io.streamfleet.session.baseline;

import io.streamfleet.contracts.stats.EngagementSession;

import java.util.ArrayList;
import java.util.List;

/**
 * A user's engagement baseline: the EMA of their sessions' average session duration, with the last few sessions for
 * the query API.
 *
 * @param emaAsdMs  exponential moving average of asdMs (unrounded)
 * @param sessions  sessions folded in so far
 * @param updatedAt end time of the last folded session
 * @param recent    the latest sessions, newest last, at most {@link #RECENT} of them
 * @param history   the latest sessions with the baseline each was judged by, newest last, at most {@link #HISTORY}
 *                  (the console's baseline chart); empty for a baseline stored before it existed
 */
public record Baseline(double emaAsdMs, long sessions, long updatedAt, List<EngagementSession> recent,
                       List<BaselinePoint> history) {

    public static final int RECENT = 5;
    /** Points kept for the chart: enough to see a trend, small enough for one RocksDB value per user. */
    public static final int HISTORY = 20;

    public Baseline {
        recent = recent == null ? List.of() : List.copyOf(recent);
        history = history == null ? List.of() : List.copyOf(history);
    }

    public Baseline(double emaAsdMs, long sessions, long updatedAt, List<EngagementSession> recent) {
        this(emaAsdMs, sessions, updatedAt, recent, List.of());
    }

    /** The baseline a user's first session sets. */
    public static Baseline first(EngagementSession session, double asdMs) {
        return new Baseline(asdMs, 1, session.sessionEndMs(), List.of(session),
                List.of(new BaselinePoint(session.sessionStartMs(), session.sessionEndMs(), asdMs, null, false)));
    }

    /** This baseline with one more session folded in at smoothing factor {@code alpha}. */
    public Baseline fold(EngagementSession session, double asdMs, double alpha) {
        return fold(session, asdMs, alpha, false);
    }

    /** As {@link #fold(EngagementSession, double, double)}, remembering whether the session was a drop. */
    public Baseline fold(EngagementSession session, double asdMs, double alpha, boolean drop) {
        BaselinePoint point = new BaselinePoint(session.sessionStartMs(), session.sessionEndMs(), asdMs, emaAsdMs,
                drop);
        return new Baseline(alpha * asdMs + (1 - alpha) * emaAsdMs, sessions + 1,
                Math.max(updatedAt, session.sessionEndMs()), latest(recent, session, RECENT),
                latest(history, point, HISTORY));
    }

    private static <T> List<T> latest(List<T> items, T added, int limit) {
        List<T> latest = new ArrayList<>(items);
        latest.add(added);
        while (latest.size() > limit) {
            latest.remove(0);
        }
        return latest;
    }
}
