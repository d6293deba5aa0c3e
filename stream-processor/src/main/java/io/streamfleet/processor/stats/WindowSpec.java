package io.streamfleet.processor.stats;

import java.time.Duration;

/**
 * One window family: windows {@code [start, start + size)} with starts at multiples of {@code advance} (tumbling
 * when advance equals size). The name is what {@code OrderWindowStats.window} carries, e.g. {@code tumbling-1s}.
 */
public record WindowSpec(String name, long sizeMs, long advanceMs) {

    public WindowSpec {
        if (sizeMs < 1 || advanceMs < 1 || advanceMs > sizeMs) {
            throw new IllegalArgumentException("window " + name + ": need 1 <= advance <= size, was size "
                    + sizeMs + " ms, advance " + advanceMs + " ms");
        }
    }

    public static WindowSpec tumbling(Duration size) {
        return new WindowSpec("tumbling-" + label(size), size.toMillis(), size.toMillis());
    }

    public static WindowSpec hopping(Duration size, Duration advance) {
        return new WindowSpec("hopping-" + label(size), size.toMillis(), advance.toMillis());
    }

    /** Starts of all windows containing {@code timeMs}, ascending. */
    public long[] startsFor(long timeMs) {
        long last = Math.floorDiv(timeMs, advanceMs) * advanceMs;
        long first = Math.floorDiv(timeMs - sizeMs, advanceMs) * advanceMs + advanceMs;
        int count = (int) ((last - first) / advanceMs) + 1;
        long[] starts = new long[count];
        for (int i = 0; i < count; i++) {
            starts[i] = first + i * advanceMs;
        }
        return starts;
    }

    /** Smallest window end strictly after {@code timeMs}: ends lie on {@code size + k * advance}. */
    public long nextEndAfter(long timeMs) {
        return (Math.floorDiv(timeMs - sizeMs, advanceMs) + 1) * advanceMs + sizeMs;
    }

    public long endOf(long startMs) {
        return startMs + sizeMs;
    }

    /**
     * Length of the panes a window of this family is composed of: the largest span dividing both size and advance,
     * so every window bound is a pane bound and each instant lies in exactly one pane (the advance itself when the
     * size is a multiple of it).
     */
    public long paneMs() {
        long a = sizeMs;
        long b = advanceMs;
        while (b != 0) {
            long r = a % b;
            a = b;
            b = r;
        }
        return a;
    }

    /** Start of the pane containing {@code timeMs}. */
    public long paneStartOf(long timeMs) {
        long pane = paneMs();
        return Math.floorDiv(timeMs, pane) * pane;
    }

    /** End of the last window containing {@code timeMs}: once that window is closed, nothing needs the instant. */
    public long lastEndContaining(long timeMs) {
        return Math.floorDiv(timeMs, advanceMs) * advanceMs + sizeMs;
    }

    static String label(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
