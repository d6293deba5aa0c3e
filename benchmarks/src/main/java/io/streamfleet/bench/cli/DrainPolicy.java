package io.streamfleet.bench.cli;

import java.util.Map;

/**
 * When a run stops waiting after its traffic, so that "missed" is never confused with "not yet": an episode that has
 * not alerted while the fleet still has unread input may simply not have been reached. The run waits at least until
 * every episode alerted and every group caught up (then a settle for stray alerts), or {@code drain}; past
 * {@code drain} it keeps waiting while any group still lags, up to {@code limit}, and once all caught up it waits one
 * more settle for the alerts behind them.
 *
 * @param drainMs  the planned wait ({@code --drain})
 * @param limitMs  the wait past which a run gives up on a lagging fleet ({@code --drain-limit})
 * @param settleMs the wait for stray alerts after everything looked done
 */
record DrainPolicy(long drainMs, long limitMs, long settleMs) {

    /**
     * Lag that counts as caught up. Not 0: the gateway's clock marks keep arriving (one per partition every 200 ms) and
     * a group commits every 100 ms, so a fleet that has read all the run's events still shows a lag of a few records
     * at most samples.
     */
    static final long CAUGHT_UP_LAG = 50;

    static boolean caughtUp(long groupLag) {
        return groupLag <= CAUGHT_UP_LAG;
    }

    /** A limit shorter than the planned drain means the planned drain (a long {@code --drain} needs no limit). */
    static DrainPolicy of(long drainMs, long limitMs) {
        return new DrainPolicy(drainMs, Math.max(drainMs, limitMs), Math.min(drainMs, 8_000));
    }

    /** How a drain ended. */
    enum Ending {
        /** Every episode alerted and every group read all its input. */
        COMPLETE,
        /** The planned drain passed with every group's input read: what did not alert was missed. */
        DRAINED,
        /** The limit passed with input still unread: what did not alert may come later. */
        LIMIT_WITH_LAG,
        /** The lag could not be read (no samples): the run cannot tell missed from not yet. */
        LAG_UNKNOWN
    }

    /**
     * @param waitedMs       time since the traffic ended
     * @param found          episodes alerted so far
     * @param expected       episodes that must alert
     * @param lag            latest lag per consumer group (a group with no committed offsets yet is absent)
     * @param drainedSinceMs since when every group has been caught up ({@link #caughtUp}; −1 if one is not now)
     * @return how the drain ends now, or {@code null} to keep waiting
     */
    Ending decide(long waitedMs, int found, int expected, Map<String, Long> lag, long drainedSinceMs) {
        boolean lagKnown = !lag.isEmpty();
        boolean drained = lagKnown && drainedSinceMs >= 0;
        if (found >= expected && drained && waitedMs >= settleMs) {
            return Ending.COMPLETE;
        }
        if (waitedMs < drainMs) {
            return null;
        }
        if (!lagKnown) {
            return Ending.LAG_UNKNOWN;
        }
        if (drained) {
            // the input behind the last alerts was read; give what it produced one settle to arrive
            return waitedMs - drainedSinceMs >= settleMs ? Ending.DRAINED : null;
        }
        return waitedMs >= limitMs ? Ending.LIMIT_WITH_LAG : null;
    }
}
