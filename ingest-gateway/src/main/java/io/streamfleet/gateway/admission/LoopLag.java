package io.streamfleet.gateway.admission;

/**
 * How far one event loop is behind. A request that reaches the gateway waits in its socket until the loop that owns
 * the connection reads it; the gateway cannot stamp that wait, but the loop's lag bounds it from below: a probe task
 * the loop runs every {@code interval} shows how late the loop gets to it, and an overdue probe shows a loop still
 * busy. Written by the loop's probe only; read from any thread.
 */
public final class LoopLag {

    private final long intervalNanos;
    private volatile long lastRunNanos;
    private volatile long lastDelayNanos;

    /** @param nowNanos when the probe was first scheduled, on the clock later calls use */
    public LoopLag(long intervalNanos, long nowNanos) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("the probe interval must be > 0, was " + intervalNanos + " ns");
        }
        this.intervalNanos = intervalNanos;
        this.lastRunNanos = nowNanos;
    }

    /** The probe ran at {@code nowNanos}; it was due at {@code dueNanos}. */
    public void ran(long dueNanos, long nowNanos) {
        lastDelayNanos = Math.max(0, nowNanos - dueNanos);
        lastRunNanos = nowNanos;
    }

    /** The loop's lag at {@code nowNanos}: the last probe's delay, or more while the next probe is overdue. */
    public long behindNanos(long nowNanos) {
        return Math.max(lastDelayNanos, nowNanos - lastRunNanos - intervalNanos);
    }
}
