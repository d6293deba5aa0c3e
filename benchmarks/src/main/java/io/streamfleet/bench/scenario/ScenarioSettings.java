package io.streamfleet.bench.scenario;

/**
 * Knobs of a scenario. Everything derived from them (and the seed) is deterministic.
 *
 * @param seed                 random seed: same seed and start ⇒ same events and ground truth
 * @param startMs              epoch ms of the run start; order event times are near it
 * @param ratePerSecond        background events per second (orders + engagement); labelled events come on top
 * @param durationMs           how long traffic is sent
 * @param orderKeys            number of background {@code accountId|symbol} keys
 * @param engagementShare      fraction of background events that are engagement events (0 = orders only)
 * @param engagementUsers      number of background engagement users
 * @param engagementSpeed      compression of the engagement clock: event-time ms per wall ms, so 30-minute session
 *                             gaps close within a short run (event times stay in the past)
 * @param orderEpisodes        injected burst-create / mass-cancel episodes (each must alert once)
 * @param orderNearMisses      injected near-misses, each missing exactly one rule (must not alert)
 * @param engagementEpisodes   users whose third session drops well below their baseline (must alert once)
 * @param engagementNearMisses users whose third session drops just under the threshold (must not alert)
 * @param jitterMs             maximum out-of-order delay between an order's event time and its send time (wall ms);
 *                             keep it below the lateness bound
 * @param duplicateRate        fraction of events sent a second time with the same eventId
 * @param lateRate             fraction of background order events sent beyond the lateness bound (as FILLED)
 * @param burst                detection-rule thresholds (docs/cep-detector.md#detection-rule)
 * @param session              session settings (docs/session-analytics.md#sessions-and-engagement-drops)
 * @param engagementOriginMs   event time of the engagement clock at the run start, or 0 for the default (as late as
 *                             the run allows: its clock ends 10 min before the start). Runs against the same fleet
 *                             need clocks that do not overlap, or the later run is behind the stream time the earlier
 *                             one left and all its engagement events are late
 * @param warmUpMs             wall time at the start of the run with background traffic only: no burst episode or
 *                             near-miss starts before it, so detection latency is measured on a warm fleet
 */
public record ScenarioSettings(long seed, long startMs, int ratePerSecond, long durationMs, int orderKeys,
                               double engagementShare, int engagementUsers, int engagementSpeed,
                               int orderEpisodes, int orderNearMisses, int engagementEpisodes,
                               int engagementNearMisses, long jitterMs, double duplicateRate, double lateRate,
                               BurstRules burst, SessionRules session, long engagementOriginMs,
                               long warmUpMs) {

    /** Background-only time at the start unless a run asks for more. */
    public static final long DEFAULT_WARM_UP_MS = 2_000;

    public ScenarioSettings {
        require(ratePerSecond > 0, "rate must be > 0");
        require(durationMs >= 10_000, "duration must be at least 10 s (episodes need T1 + T2 + lateness to close)");
        require(orderKeys > 0, "keys must be > 0");
        require(engagementShare >= 0 && engagementShare <= 1, "engagement share must be within [0, 1]");
        require(engagementUsers > 0, "engagement users must be > 0");
        require(engagementSpeed >= 1, "engagement speed must be >= 1");
        require(orderEpisodes >= 0 && orderNearMisses >= 0 && engagementEpisodes >= 0 && engagementNearMisses >= 0,
                "episode counts must be >= 0");
        require(jitterMs >= 0 && jitterMs < burst.latenessMs(), "jitter must be within [0, order lateness)");
        require(duplicateRate >= 0 && duplicateRate < 1, "duplicate rate must be within [0, 1)");
        require(lateRate >= 0 && lateRate < 1, "late rate must be within [0, 1)");
        require(engagementOriginMs >= 0, "engagement origin must be >= 0 (0: the default)");
        require(warmUpMs >= 0 && warmUpMs <= durationMs / 2, "warm-up must be within [0, duration / 2]");
        require(engagementOriginMs == 0 || engagementOriginMs + durationMs * engagementSpeed <= startMs,
                "the engagement clock must end before the run starts (origin + duration x speed <= start): "
                        + "event times in the future are refused by the gateway");
    }

    /** Defaults for a run of the given rate and duration starting now. */
    public static ScenarioSettings defaults(long startMs, int ratePerSecond, long durationMs) {
        return new ScenarioSettings(42, startMs, ratePerSecond, durationMs, 1_000, 0.2, 500, 240,
                20, 20, 10, 10, 1_000, 0.01, 0.001, BurstRules.defaults(), SessionRules.defaults(), 0,
                DEFAULT_WARM_UP_MS);
    }

    public long backgroundEvents() {
        return ratePerSecond * durationMs / 1_000;
    }

    /** Engagement clock origin: far enough in the past that engagement event times never reach the present. */
    public long engagementClockStartMs() {
        if (engagementOriginMs > 0) {
            return engagementOriginMs;
        }
        return startMs - durationMs * engagementSpeed - 10 * 60_000L;
    }

    /** Engagement event time reached when traffic ends. */
    public long engagementClockEndMs() {
        return engagementClockStartMs() + durationMs * engagementSpeed;
    }

    /** Engagement out-of-order bound in event time: the order jitter scaled, at most half the lateness. */
    public long engagementJitterMs() {
        return Math.min(jitterMs * engagementSpeed, session.latenessMs() / 2);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    public ScenarioSettings withSeed(long newSeed) {
        return new ScenarioSettings(newSeed, startMs, ratePerSecond, durationMs, orderKeys, engagementShare,
                engagementUsers, engagementSpeed, orderEpisodes, orderNearMisses, engagementEpisodes,
                engagementNearMisses, jitterMs, duplicateRate, lateRate, burst, session, engagementOriginMs,
                warmUpMs);
    }
}
