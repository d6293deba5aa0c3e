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
 */
public record Baseline(double emaAsdMs, long sessions, long updatedAt, List<EngagementSession> recent) {

    public static final int RECENT = 5;

    public Baseline {
        recent = recent == null ? List.of() : List.copyOf(recent);
    }

    /** The baseline a user's first session sets. */
    public static Baseline first(EngagementSession session, double asdMs) {
        return new Baseline(asdMs, 1, session.sessionEndMs(), List.of(session));
    }

    /** This baseline with one more session folded in at smoothing factor {@code alpha}. */
    public Baseline fold(EngagementSession session, double asdMs, double alpha) {
        List<EngagementSession> latest = new ArrayList<>(recent);
        latest.add(session);
        while (latest.size() > RECENT) {
            latest.remove(0);
        }
        return new Baseline(alpha * asdMs + (1 - alpha) * emaAsdMs, sessions + 1,
                Math.max(updatedAt, session.sessionEndMs()), latest);
    }
}
