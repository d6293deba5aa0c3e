package io.streamfleet.processor.topology;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLongArray;

/** Events per second over the last ten complete seconds, in one-second buckets; lock-free, approximate under races. */
final class SlidingRate {

    private static final int BUCKETS = 11;
    private final Clock clock;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLongArray seconds = new AtomicLongArray(BUCKETS);

    SlidingRate(Clock clock) {
        this.clock = clock;
        for (int i = 0; i < BUCKETS; i++) {
            seconds.set(i, Long.MIN_VALUE);
        }
    }

    void add(long n) {
        long second = clock.millis() / 1000;
        int i = (int) Math.floorMod(second, (long) BUCKETS);
        long was = seconds.get(i);
        if (was != second && seconds.compareAndSet(i, was, second)) {
            counts.set(i, 0);
        }
        counts.addAndGet(i, n);
    }

    double perSecond() {
        long now = clock.millis() / 1000;
        long sum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            long second = seconds.get(i);
            if (second < now && second >= now - (BUCKETS - 1)) {
                sum += counts.get(i);
            }
        }
        return sum / (double) (BUCKETS - 1);
    }
}
