package io.streamfleet.session.query;

import io.streamfleet.contracts.Decimals;
import io.streamfleet.contracts.stats.EngagementSession;
import io.streamfleet.session.baseline.Baseline;
import io.streamfleet.session.baseline.BaselinePoint;

import java.util.List;

/**
 * A user's baseline as the query API shows it.
 *
 * @param baselineAsdMs   the EMA of average session duration, 1 decimal
 * @param sessions        sessions folded into it
 * @param updatedAtMs     end of the latest folded session
 * @param recentSessions  the latest closed sessions, newest last
 * @param history         the latest sessions with the baseline each was judged by (ms, 1 decimal), newest last
 */
public record UserBaseline(String userId, double baselineAsdMs, long sessions, long updatedAtMs,
                           List<EngagementSession> recentSessions, List<BaselinePoint> history) {

    static UserBaseline of(String userId, Baseline baseline) {
        List<BaselinePoint> history = baseline.history().stream().map(p -> new BaselinePoint(p.sessionStartMs(),
                p.sessionEndMs(), Decimals.halfUp(p.asdMs(), 1),
                p.baselineBeforeMs() == null ? null : Decimals.halfUp(p.baselineBeforeMs(), 1), p.drop())).toList();
        return new UserBaseline(userId, Decimals.halfUp(baseline.emaAsdMs(), 1), baseline.sessions(),
                baseline.updatedAt(), baseline.recent(), history);
    }
}
