package io.streamfleet.gateway.warmup;

import java.time.Duration;

/**
 * When a self-warm-up may end before its time budget: once its own request rate stopped rising and either the JIT
 * compiler went quiet or the warm-up's CPU per request stopped falling. A warm-up on a CPU-starved machine then runs
 * longer (the JIT is still compiling the request path, and the rate still climbs), one on a quiet machine ends as soon
 * as the path is compiled.
 *
 * <p>All judged over the last {@code windows} windows of {@code window} each (the evidence), each against the
 * {@code windows} windows before them: the rate is flat when their mean rate is no more than {@code risePercent} above
 * the earlier mean; the JIT is quiet when it spent at most {@code jitBusyPercent} of their wall time compiling (the
 * compile time of all compiler threads together, so a busy JIT on two cores shows up to 200 %); the cost is flat
 * when the CPU time of the JVM's own threads per finished step is no more than {@code costFallPercent} below the
 * earlier windows'. The cost matters because the one C2 compiler thread of a small machine keeps compiling the
 * lukewarm rest of the application for long after the request path itself is compiled: the JIT is then busy, but
 * what a request costs no longer changes (docs/ingest-gateway.md "Self-warm-up"). Compiler and GC threads are not
 * the JVM's own threads ({@link java.lang.management.ThreadMXBean} does not list them), so a busy compiler does not
 * hide a flat cost. Never before {@code minTime}.
 *
 * @param window         one window, the unit of evidence
 * @param windows        how many consecutive windows must be flat and quiet (and how many before them are compared)
 * @param minTime        earliest end
 * @param risePercent    a mean rate more than this above the earlier windows' still counts as rising
 * @param jitBusyPercent compile time, in percent of the windows' wall time, up to which the JIT counts as quiet
 * @param costWindows    how many windows make one span of the cost comparison
 * @param costFallPercent CPU per step more than this below the earlier span's still counts as falling
 */
public record SettleRule(Duration window, int windows, Duration minTime, double risePercent, double jitBusyPercent,
                         int costWindows, double costFallPercent) {

    public SettleRule {
        if (window == null || window.toMillis() < 100) {
            throw new IllegalArgumentException("window must be >= 100ms, was " + window);
        }
        if (windows < 1 || windows > 60) {
            throw new IllegalArgumentException("windows must be between 1 and 60, was " + windows);
        }
        if (minTime == null || minTime.isNegative()) {
            throw new IllegalArgumentException("min-time must be >= 0, was " + minTime);
        }
        if (!(risePercent >= 0) || risePercent > 1000) {
            throw new IllegalArgumentException("rise-percent must be between 0 and 1000, was " + risePercent);
        }
        if (!(jitBusyPercent >= 0) || jitBusyPercent > 1000) {
            throw new IllegalArgumentException("jit-busy-percent must be between 0 and 1000, was " + jitBusyPercent);
        }
        if (costWindows < 1 || costWindows > 60) {
            throw new IllegalArgumentException("cost-windows must be between 1 and 60, was " + costWindows);
        }
        if (!(costFallPercent >= 0) || costFallPercent > 100) {
            throw new IllegalArgumentException("cost-fall-percent must be between 0 and 100, was " + costFallPercent);
        }
    }

    /** A fresh judge of one warm-up that started at {@code startNanos}. */
    public Settling start(long startNanos) {
        return new Settling(this, startNanos);
    }
}
