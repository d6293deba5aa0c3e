package io.streamfleet.gateway.http;

import io.netty.channel.EventLoop;
import io.streamfleet.gateway.admission.LoopLag;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One {@link LoopLag} probe per Netty event loop that served a request: a task the loop runs every interval, each run
 * rescheduling the next (a fixed-rate schedule would run the missed ones back to back after a stall). A probe starts
 * with the first request its loop reads and ends when the loop shuts down. Costs one tiny task per loop and interval.
 */
public final class EventLoopLagProbes {

    private final long intervalNanos;
    private final Map<EventLoop, LoopLag> lags = new ConcurrentHashMap<>();

    public EventLoopLagProbes(Duration interval) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the event-loop lag probe interval must be > 0, was " + interval);
        }
        this.intervalNanos = interval.toNanos();
    }

    /** How far the loop is behind now; 0 for an executor that is not a Netty event loop (no socket to wait in). */
    public long behindNanos(Executor executor) {
        if (!(executor instanceof EventLoop loop)) {
            return 0;
        }
        LoopLag lag = lags.get(loop);
        if (lag == null) {
            lag = lags.computeIfAbsent(loop, this::start);
        }
        return lag.behindNanos(System.nanoTime());
    }

    /** The largest lag of all probed loops, in milliseconds (for the gauge). */
    public long maxBehindMillis() {
        long now = System.nanoTime();
        long max = 0;
        for (LoopLag lag : lags.values()) {
            max = Math.max(max, lag.behindNanos(now));
        }
        return TimeUnit.NANOSECONDS.toMillis(max);
    }

    private LoopLag start(EventLoop loop) {
        LoopLag lag = new LoopLag(intervalNanos, System.nanoTime());
        schedule(loop, lag, System.nanoTime() + intervalNanos);
        return lag;
    }

    private void schedule(EventLoop loop, LoopLag lag, long dueNanos) {
        try {
            loop.schedule(() -> {
                long now = System.nanoTime();
                lag.ran(dueNanos, now);
                schedule(loop, lag, now + intervalNanos);
            }, Math.max(0, dueNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            lags.remove(loop); // the loop is shutting down
        }
    }
}
