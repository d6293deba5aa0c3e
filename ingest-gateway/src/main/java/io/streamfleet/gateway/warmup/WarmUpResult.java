package io.streamfleet.gateway.warmup;

import java.time.Duration;

/**
 * What a self-warm-up did.
 *
 * @param sent           requests started and finished (answered or failed)
 * @param ok             of them, answered as expected end to end (dry-run answer 200, every warm-up record
 *                       acknowledged)
 * @param took           from the first request to the last answer
 * @param stopped        what ended it
 * @param rate           its own rate at the end, requests per second over the last windows of its
 *                       {@link SettleRule} (NaN when it ran without one or ended before a window closed)
 * @param jitBusyPercent the JIT's compile time over those windows, in percent of their wall time (NaN: unknown)
 * @param cpuMicrosPerRequest CPU time of the JVM's own threads per request over those windows, µs (NaN: unknown)
 */
public record WarmUpResult(int sent, int ok, Duration took, Stop stopped, double rate, double jitBusyPercent,
                           double cpuMicrosPerRequest) {

    /** Why a warm-up ended. */
    public enum Stop {
        /** it did not run (switched off) */
        NOT_RUN,
        /** the request budget was used up */
        REQUESTS,
        /** the time budget was used up */
        TIME,
        /**
         * its rate stopped rising, and the JIT went quiet or its CPU per request stopped falling ({@link SettleRule})
         */
        SETTLED
    }

    public static final WarmUpResult NOT_RUN = new WarmUpResult(0, 0, Duration.ZERO, Stop.NOT_RUN, Double.NaN,
            Double.NaN, Double.NaN);

    public int failed() {
        return sent - ok;
    }
}
