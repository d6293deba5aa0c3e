package io.streamfleet.contracts.stats;

/**
 * One closed user session, written to {@code engagement.sessions}
 * (docs/session-analytics.md#sessions-and-engagement-drops).
 *
 * @param asdMs          mean dwellMs of view_end events with dwellMs &gt; 0 (0 if none)
 * @param completionRate completed views / max(view_end count, 1)
 * @param clicks         number of click events
 */
public record EngagementSession(
        String userId,
        long sessionStartMs,
        long sessionEndMs,
        long events,
        long viewEnds,
        double asdMs,
        double completionRate,
        long clicks) {
}
