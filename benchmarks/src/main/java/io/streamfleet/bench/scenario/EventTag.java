package io.streamfleet.bench.scenario;

/** Why an event is in the scenario. */
public enum EventTag {
    /** Background traffic that by construction cannot alert. */
    NOISE,
    /** Part of an injected episode that must alert exactly once. */
    EPISODE,
    /** Part of a near-miss that misses exactly one rule and must not alert. */
    NEAR_MISS,
    /** A second copy of an event already sent (same eventId); the pipeline must drop it. */
    DUPLICATE,
    /** An event sent beyond the lateness bound; routed to a late topic, never part of a detection. */
    LATE
}
