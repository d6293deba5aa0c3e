package io.streamfleet.session.metrics;

import io.streamfleet.contracts.Decimals;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;
import io.streamfleet.contracts.stats.EngagementSession;

/**
 * What a session has accumulated so far (docs/session-analytics.md#sessions-and-engagement-drops): its bounds and the
 * sums its metrics are made of. Immutable; {@link #plus} folds in one event and {@link #merge} joins two sessions
 * bridged by a late event, so the result never depends on arrival order.
 *
 * @param startMs          event time of the earliest event
 * @param endMs            event time of the latest event
 * @param events           events of any type
 * @param viewEnds         view_end events
 * @param completedViews   view_end events marked completed
 * @param dwellSumMs       sum of dwellMs over view_end events with dwellMs &gt; 0
 * @param dwellCount       number of those view_end events
 * @param clicks           click events
 * @param lastIngestedAtMs latest gateway ingestion time among the events (for end-to-end latency), or -1
 */
public record SessionAggregate(long startMs, long endMs, long events, long viewEnds, long completedViews,
                               long dwellSumMs, long dwellCount, long clicks, long lastIngestedAtMs) {

    public static final long UNKNOWN_INGESTION = -1;

    /** A session of exactly one event. */
    public static SessionAggregate of(EngagementEvent event, long ingestedAtMs) {
        boolean viewEnd = event.eventType() == EngagementEventType.VIEW_END;
        boolean dwell = viewEnd && event.dwellMs() > 0;
        return new SessionAggregate(event.eventTimeMs(), event.eventTimeMs(), 1,
                viewEnd ? 1 : 0,
                viewEnd && event.completed() ? 1 : 0,
                dwell ? event.dwellMs() : 0,
                dwell ? 1 : 0,
                event.eventType() == EngagementEventType.CLICK ? 1 : 0,
                ingestedAtMs);
    }

    public SessionAggregate plus(EngagementEvent event, long ingestedAtMs) {
        return merge(of(event, ingestedAtMs));
    }

    /** The session covering both: bounds widen, sums add. Commutative and associative. */
    public SessionAggregate merge(SessionAggregate other) {
        return new SessionAggregate(Math.min(startMs, other.startMs), Math.max(endMs, other.endMs),
                events + other.events, viewEnds + other.viewEnds, completedViews + other.completedViews,
                dwellSumMs + other.dwellSumMs, dwellCount + other.dwellCount, clicks + other.clicks,
                Math.max(lastIngestedAtMs, other.lastIngestedAtMs));
    }

    /** Mean dwellMs of view_end events with dwellMs &gt; 0; 0 when there is none. Not rounded. */
    public double asdMs() {
        return dwellCount == 0 ? 0 : (double) dwellSumMs / dwellCount;
    }

    /** Completed views / max(view_end count, 1). Not rounded. */
    public double completionRate() {
        return (double) completedViews / Math.max(viewEnds, 1);
    }

    /** The session as published on {@code engagement.sessions}: asd to 1 decimal, completion rate to 3. */
    public EngagementSession toSession(String userId) {
        return new EngagementSession(userId, startMs, endMs, events, viewEnds, Decimals.halfUp(asdMs(), 1),
                Decimals.ratioHalfUp(completedViews, Math.max(viewEnds, 1), 3), clicks);
    }
}
