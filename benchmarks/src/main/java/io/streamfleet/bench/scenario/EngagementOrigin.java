package io.streamfleet.bench.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Where a run's compressed engagement clock starts so that it cannot collide with earlier runs against the same fleet.
 * A run whose clock starts behind the fleet's engagement stream time has its engagement events diverted as late, and
 * one that starts less than a session gap after it merges its users' sessions with the earlier run's. So the clock
 * starts {@link #GAP_MS} after the fleet's stream time; on a fleet without one (fresh state) it starts
 * {@link #FRESH_FLEET_BUDGET_MS} before the run, which leaves room for later runs. Every clock still ends before its
 * run starts, as the gateway refuses event times in the future.
 */
public final class EngagementOrigin {

    /** Event time a fresh fleet offers: at the defaults (60 s at 240×, 4 h of event time) about five runs. */
    public static final long FRESH_FLEET_BUDGET_MS = 24 * 3_600_000L;
    /** After the fleet's stream time: beyond the session gap (30 min) and the engagement lateness (120 s). */
    public static final long GAP_MS = 35 * 60_000L;
    /**
     * How far a fleet's engagement stream time is projected past its reading: the run starts after the SSE feed
     * opened (up to 15 s), and the time must not have moved past the chosen origin by then.
     */
    public static final long READ_TO_START_MS = 16_000L;

    private EngagementOrigin() {
    }

    /**
     * The origin for a run starting at {@code startMs} whose clock spans {@code spanMs} (duration × speed).
     *
     * @param fleetStreamTimeMs the fleet's engagement stream time projected to {@code startMs}; empty on a fresh fleet
     * @throws IllegalArgumentException when no clock after the fleet's stream time ends before the run starts
     */
    public static long choose(long startMs, long spanMs, OptionalLong fleetStreamTimeMs) {
        long origin = earliest(startMs, fleetStreamTimeMs);
        if (!hasRoom(startMs, spanMs, fleetStreamTimeMs)) {
            throw new IllegalArgumentException("this fleet's engagement stream time is "
                    + at(fleetStreamTimeMs.orElse(origin), startMs) + ": a run needs " + hours(spanMs)
                    + " of engagement event time (--duration x --engagement-speed) starting " + GAP_MS / 60_000
                    + " min after it and ending before now, and there is no such room left. Run against a fleet with"
                    + " fresh state, shorten --duration or lower --engagement-speed (or set --engagement-share 0"
                    + " --engagement-episodes 0 --engagement-near-misses 0)");
        }
        return origin;
    }

    /**
     * Whether {@link #choose} finds a clock: one of {@code spanMs} that starts {@link #GAP_MS} after the fleet's stream
     * time (or {@link #FRESH_FLEET_BUDGET_MS} before the run on a fresh fleet) and ends by {@code startMs}. Since a
     * fleet's stream time moves only with the events sent to it, a fleet that has room at one moment has it later too.
     */
    public static boolean hasRoom(long startMs, long spanMs, OptionalLong fleetStreamTimeMs) {
        return earliest(startMs, fleetStreamTimeMs) + spanMs <= startMs;
    }

    private static long earliest(long startMs, OptionalLong fleetStreamTimeMs) {
        long origin = startMs - FRESH_FLEET_BUDGET_MS;
        if (fleetStreamTimeMs.isPresent()) {
            origin = Math.max(origin, fleetStreamTimeMs.getAsLong() + GAP_MS);
        }
        return origin;
    }

    /**
     * Checks an origin the user gave.
     *
     * @throws IllegalArgumentException when it starts before the fleet's stream time plus {@link #GAP_MS}
     */
    public static void check(long originMs, long startMs, OptionalLong fleetStreamTimeMs) {
        if (fleetStreamTimeMs.isPresent() && originMs < fleetStreamTimeMs.getAsLong() + GAP_MS) {
            long least = fleetStreamTimeMs.getAsLong() + GAP_MS;
            throw new IllegalArgumentException("--engagement-origin " + originMs + " (" + Instant.ofEpochMilli(originMs)
                    + ") is not " + GAP_MS / 60_000 + " min after this fleet's engagement stream time "
                    + at(fleetStreamTimeMs.getAsLong(), startMs) + ": the run's engagement events would be diverted"
                    + " as late or merge with an earlier run's sessions. Pass at least " + least + " ("
                    + Instant.ofEpochMilli(least) + "), or leave the option out and fleet-bench picks a clock");
        }
    }

    private static String at(long timeMs, long startMs) {
        return Instant.ofEpochMilli(timeMs) + " (" + hours(startMs - timeMs) + " before the run)";
    }

    private static String hours(long ms) {
        Duration d = Duration.ofMillis(Math.max(0, ms));
        return d.toHours() + " h " + d.toMinutesPart() + " min";
    }
}
