package io.streamfleet.gateway.warmup;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * One warm-up's judge under a {@link SettleRule}: fed with how many steps had finished and how long the JIT had
 * compiled at a moment, it closes a window whenever one is over and says whether the warm-up has settled. Feeding
 * it more often than once a window costs nothing; a window is as long as the time between the feeds that close it.
 */
public final class Settling {

    /** The compile time when the JVM does not measure it: the rate alone decides. */
    public static final long UNKNOWN = -1;

    private final SettleRule rule;
    private final long startNanos;
    private final long windowNanos;
    private final Deque<Window> last = new ArrayDeque<>();
    private long windowStart;
    private long stepsAtWindowStart;
    private long compileAtWindowStart = UNKNOWN;
    private boolean first = true;
    private double rate;
    private double earlierRate;
    private double jitBusyPercent = Double.NaN;
    private boolean settled;
    private int closed;

    Settling(SettleRule rule, long startNanos) {
        this.rule = rule;
        this.startNanos = startNanos;
        this.windowNanos = rule.window().toNanos();
        this.windowStart = startNanos;
    }

    private record Window(long nanos, long steps, long compileMillis) {
    }

    /**
     * @param nowNanos      the moment ({@link System#nanoTime()} scale)
     * @param stepsFinished steps finished since the start, failed ones included
     * @param compileMillis the JIT's total compile time so far, or {@link #UNKNOWN}
     * @return true once the last windows were flat and quiet and {@code minTime} passed (and ever after)
     */
    public synchronized boolean observe(long nowNanos, long stepsFinished, long compileMillis) {
        if (first) {
            // the first feed only sets the baseline of the compile time (steps start at 0 with the warm-up)
            first = false;
            compileAtWindowStart = compileMillis;
        }
        if (settled || nowNanos - windowStart < windowNanos) {
            return settled;
        }
        long compiled = compileMillis == UNKNOWN || compileAtWindowStart == UNKNOWN ? UNKNOWN
                : Math.max(0, compileMillis - compileAtWindowStart);
        last.addLast(new Window(nowNanos - windowStart, stepsFinished - stepsAtWindowStart, compiled));
        if (last.size() > 2 * rule.windows()) {
            last.removeFirst();
        }
        closed++;
        windowStart = nowNanos;
        stepsAtWindowStart = stepsFinished;
        compileAtWindowStart = compileMillis;
        settled = judge() && nowNanos - startNanos >= rule.minTime().toNanos();
        return settled;
    }

    private boolean judge() {
        int n = rule.windows();
        long earlierNanos = 0;
        long earlierSteps = 0;
        long recentNanos = 0;
        long recentSteps = 0;
        long recentCompile = 0;
        boolean compileKnown = true;
        Iterator<Window> newestFirst = last.descendingIterator();
        for (int i = 0; newestFirst.hasNext(); i++) {
            Window w = newestFirst.next();
            if (i < n) {
                recentNanos += w.nanos();
                recentSteps += w.steps();
                compileKnown &= w.compileMillis() != UNKNOWN;
                recentCompile += Math.max(0, w.compileMillis());
            } else {
                earlierNanos += w.nanos();
                earlierSteps += w.steps();
            }
        }
        rate = recentSteps * 1e9 / recentNanos;
        jitBusyPercent = compileKnown ? recentCompile * 1e6 * 100 / recentNanos : Double.NaN;
        if (last.size() < 2 * n) {
            earlierRate = Double.NaN;
            return false;
        }
        earlierRate = earlierSteps * 1e9 / earlierNanos;
        boolean flat = rate <= earlierRate * (1 + rule.risePercent() / 100);
        boolean quiet = !compileKnown || jitBusyPercent <= rule.jitBusyPercent();
        return flat && quiet;
    }

    /** Steps per second over the last {@code windows} windows (0 before the first window closed). */
    public synchronized double rate() {
        return rate;
    }

    /** Steps per second over the {@code windows} windows before those (NaN while fewer were seen). */
    public synchronized double earlierRate() {
        return earlierRate;
    }

    /** Compile time in percent of the last windows' wall time; NaN when unknown or before the first window closed. */
    public synchronized double jitBusyPercent() {
        return jitBusyPercent;
    }

    /** Windows closed so far. */
    public synchronized int windowsClosed() {
        return closed;
    }

    public synchronized boolean settled() {
        return settled;
    }
}
