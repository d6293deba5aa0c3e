package io.streamfleet.bench.scenario;

/**
 * The session settings (docs/session-analytics.md#sessions-and-engagement-drops) the engagement scenario is labelled
 * against.
 */
public record SessionRules(long inactivityGapMs, long latenessMs, double emaAlpha, double dropThreshold) {

    public static SessionRules defaults() {
        return new SessionRules(30 * 60_000L, 120_000L, 0.3, 0.30);
    }
}
