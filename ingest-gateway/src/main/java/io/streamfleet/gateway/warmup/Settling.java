package io.streamfleet.gateway.warmup;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * One warm-up's judge under a {@link SettleRule}: fed with how many steps had finished, how long the JIT had compiled
 * and how much CPU the JVM's own threads had used at a moment, it closes a window whenever one is over and says
 * whether the warm-up has settled. Feeding it more often than once a window costs nothing; a window is as long as the
 * time between the feeds that close it.
 */
public final class Settling {

    /** A compile time or CPU time the JVM does not measure: the other evidence decides. */
    public static final long UNKNOWN = -1;

    private final SettleRule rule;
    private final long startNanos;
    private final long windowNanos;
    private final Deque<Window> last = new ArrayDeque<>();
    private long windowStart;
    private long stepsAtWindowStart;
    private long compileAtWindowStart = UNKNOWN;
    private long cpuAtWindowStart = UNKNOWN;
    private boolean first = true;
    private double rate;
    private double earlierRate;
    private double jitBusyPercent = Double.NaN;
    private double cost = Double.NaN;
    private double earlierCost = Double.NaN;
    private boolean settled;
    private int closed;

    Settling(SettleRule rule, long startNanos) {
        this.rule = rule;
        this.startNanos = startNanos;
        this.windowNanos = rule.window().toNanos();
        this.windowStart = startNanos;
    }

    private record Window(long nanos, long steps, long compileMillis, long cpuNanos) {
    }

    /**
     * @param nowNanos      the moment ({@link System#nanoTime()} scale)
     * @param stepsFinished steps finished since the start, failed ones included
     * @param compileMillis the JIT's total compile time so far, or {@link #UNKNOWN}
     * @param cpuNanos      the CPU time of the JVM's own threads so far (compiler and GC threads not among them), or
     *                      {@link #UNKNOWN}
     * @return true once the last windows showed a flat rate and a quiet JIT or a flat cost, and {@code minTime} passed
     *         (and ever after)
     */
    public synchronized boolean observe(long nowNanos, long stepsFinished, long compileMillis, long cpuNanos) {
        if (first) {
            // the first feed only sets the baselines of compile and CPU time (steps start at 0 with the warm-up)
            first = false;
            compileAtWindowStart = compileMillis;
            cpuAtWindowStart = cpuNanos;
        }
        if (settled || nowNanos - windowStart < windowNanos) {
            return settled;
        }
        long compiled = compileMillis == UNKNOWN || compileAtWindowStart == UNKNOWN ? UNKNOWN
                : Math.max(0, compileMillis - compileAtWindowStart);
        // a sum over live threads can shrink when one ends: such a window's CPU is unknown, not negative
        long used = cpuNanos == UNKNOWN || cpuAtWindowStart == UNKNOWN || cpuNanos < cpuAtWindowStart ? UNKNOWN
                : cpuNanos - cpuAtWindowStart;
        last.addLast(new Window(nowNanos - windowStart, stepsFinished - stepsAtWindowStart, compiled, used));
        if (last.size() > 2 * Math.max(rule.windows(), rule.costWindows())) {
            last.removeFirst();
        }
        closed++;
        windowStart = nowNanos;
        stepsAtWindowStart = stepsFinished;
        compileAtWindowStart = compileMillis;
        cpuAtWindowStart = cpuNanos;
        settled = judge() && nowNanos - startNanos >= rule.minTime().toNanos();
        return settled;
    }

    private boolean judge() {
        int n = rule.windows();
        Span recent = span(0, n);
        rate = recent.steps * 1e9 / recent.nanos;
        jitBusyPercent = recent.compileKnown ? recent.compileMillis * 1e6 * 100 / recent.nanos : Double.NaN;
        Span recentCost = span(0, rule.costWindows());
        cost = recentCost.cost();
        Span earlierCostSpan = span(rule.costWindows(), rule.costWindows());
        earlierCost = earlierCostSpan.cost();
        if (last.size() < 2 * n) {
            earlierRate = Double.NaN;
            return false;
        }
        Span earlier = span(n, n);
        earlierRate = earlier.steps * 1e9 / earlier.nanos;
        boolean flat = rate <= earlierRate * (1 + rule.risePercent() / 100);
        boolean quiet = !recent.compileKnown || jitBusyPercent <= rule.jitBusyPercent();
        boolean costFlat = !Double.isNaN(cost) && !Double.isNaN(earlierCost)
                && cost >= earlierCost * (1 - rule.costFallPercent() / 100);
        return flat && (quiet || costFlat);
    }

    /** The sums of {@code count} windows, starting {@code skip} windows back from the newest. */
    private Span span(int skip, int count) {
        Span span = new Span();
        Iterator<Window> newestFirst = last.descendingIterator();
        for (int i = 0; newestFirst.hasNext() && i < skip + count; i++) {
            Window w = newestFirst.next();
            if (i < skip) {
                continue;
            }
            span.windows++;
            span.nanos += w.nanos();
            span.steps += w.steps();
            span.compileKnown &= w.compileMillis() != UNKNOWN;
            span.compileMillis += Math.max(0, w.compileMillis());
            span.cpuKnown &= w.cpuNanos() != UNKNOWN;
            span.cpuNanos += w.cpuNanos();
        }
        span.complete = span.windows == count;
        return span;
    }

    private static final class Span {
        int windows;
        boolean complete;
        long nanos;
        long steps;
        long compileMillis;
        boolean compileKnown = true;
        long cpuNanos;
        boolean cpuKnown = true;

        /** CPU ns per step; NaN unless every window of a complete span knew its CPU and had steps. */
        double cost() {
            return complete && cpuKnown && steps > 0 ? (double) cpuNanos / steps : Double.NaN;
        }
    }

    /** Whether a feed at {@code nowNanos} would close a window (so its evidence is worth reading). */
    public synchronized boolean windowMayClose(long nowNanos) {
        return first || (!settled && nowNanos - windowStart >= windowNanos);
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

    /** CPU nanoseconds of the JVM's own threads per step over the last cost span (NaN when unknown or incomplete). */
    public synchronized double cost() {
        return cost;
    }

    /** CPU nanoseconds per step over the cost span before that (NaN when unknown or while fewer were seen). */
    public synchronized double earlierCost() {
        return earlierCost;
    }

    /** Windows closed so far. */
    public synchronized int windowsClosed() {
        return closed;
    }

    public synchronized boolean settled() {
        return settled;
    }
}
