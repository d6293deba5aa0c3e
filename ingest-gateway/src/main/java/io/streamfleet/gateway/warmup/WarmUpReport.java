package io.streamfleet.gateway.warmup;

import java.util.concurrent.atomic.AtomicReference;

/** The last self-warm-up's result, for the meters and for tests ({@link WarmUpResult#NOT_RUN} before one ended). */
public final class WarmUpReport {

    private final AtomicReference<WarmUpResult> last = new AtomicReference<>(WarmUpResult.NOT_RUN);
    private volatile long endedNanos = Long.MIN_VALUE;

    public void ended(WarmUpResult result, long nanoTime) {
        last.set(result);
        endedNanos = nanoTime;
    }

    public WarmUpResult last() {
        return last.get();
    }

    /** {@link System#nanoTime()} when the last warm-up ended; {@code Long.MIN_VALUE} before. */
    public long endedNanos() {
        return endedNanos;
    }

    public double seconds() {
        return last.get().took().toNanos() / 1e9;
    }
}
