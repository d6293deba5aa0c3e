package io.streamfleet.bench.driver;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The open loop's validation schedule {@code ms-ticks}: requests sent the way {@code wrk} paced by whole-millisecond
 * {@code delay()} sends them (benchmarks/wrk/orders.lua, {@code RATE=R}), so that the two tools can be compared on the
 * same arrival pattern. The n-th request is due at the wall-clock millisecond tick {@code floor(n * 1000 / R)} after
 * the first, and all requests of one tick leave back to back at its start: R/1000 together at R requests/s, where the
 * default schedule spaces them 1/R s apart. Not a default and not a load shape to report on its own: it exists
 * to show that fleet-bench and wrk agree when they send the same pattern (docs/ingest-gateway.md).
 */
public final class MillisecondTicks {

    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Wall clock minus {@link System#nanoTime()}, in nanoseconds, as sampled when built. */
    private final long wallMinusNano;

    private MillisecondTicks(long wallMinusNano) {
        this.wallMinusNano = wallMinusNano;
    }

    /** Ticks of this machine's wall clock (as wrk's event loop reads it), mapped onto {@link System#nanoTime()}. */
    public static MillisecondTicks ofWallClock() {
        // the tightest of a few samples: a sample torn by a preemption between the two reads is wide
        long best = Long.MAX_VALUE;
        long offset = 0;
        for (int i = 0; i < 5; i++) {
            long before = System.nanoTime();
            Instant wall = Instant.now();
            long after = System.nanoTime();
            if (after - before < best) {
                best = after - before;
                offset = wall.getEpochSecond() * 1_000_000_000L + wall.getNano() - (before + (after - before) / 2);
            }
        }
        return new MillisecondTicks(offset);
    }

    /** Ticks at whole milliseconds of a clock that reads {@code nanoTime + wallMinusNano} (tests). */
    static MillisecondTicks withOffset(long wallMinusNano) {
        return new MillisecondTicks(wallMinusNano);
    }

    /** The first {@link System#nanoTime()} at or after {@code nanoTime} at which the wall clock is on a whole ms. */
    public long nextTick(long nanoTime) {
        long intoMs = Math.floorMod(nanoTime + wallMinusNano, MS);
        return intoMs == 0 ? nanoTime : nanoTime + (MS - intoMs);
    }

    /** The offset from the first tick of the n-th request (n from 0) at {@code rate} requests/s: wrk's tick. */
    public static long offset(long n, int rate) {
        if (rate < 1) {
            throw new IllegalArgumentException("rate must be >= 1, was " + rate);
        }
        return Math.multiplyExact(n, 1000L) / rate * MS;
    }
}
