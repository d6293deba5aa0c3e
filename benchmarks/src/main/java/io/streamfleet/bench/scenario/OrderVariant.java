package io.streamfleet.bench.scenario;

/**
 * The shapes of labelled order traffic. Episodes must alert exactly once; each near-miss misses exactly one condition
 * of docs/cep-detector.md#detection-rule by the smallest step (one create, one price level, one cancel just over the
 * ratio, one millisecond).
 */
public enum OrderVariant {
    /** 10–16 creates at 3–6 price levels within T1, then enough cancels within T2. */
    EPISODE(true),
    /** Exactly at every bound: 10 creates spanning exactly T1, 3 levels, 8 cancels (ratio 0.80), last at exactly T2. */
    BOUNDARY(true),
    /** A stray cancel in the middle of the burst; B still looks back over all creates in the window. */
    INTERLEAVED(true),
    /** 9 creates (minimum 10). */
    NEAR_MISS_CREATES(false),
    /** 2 distinct price levels (minimum 3). */
    NEAR_MISS_LEVELS(false),
    /** 19 creates, 15 cancels: ratio 0.789 (minimum 0.80). */
    NEAR_MISS_RATIO(false),
    /** 10 creates, the 8th cancel 1 ms after t(c) + T2. */
    NEAR_MISS_CANCEL_WINDOW(false),
    /** 10 creates, the first 1 ms before t(c) − T1. */
    NEAR_MISS_BURST_WINDOW(false);

    private final boolean mustAlert;

    OrderVariant(boolean mustAlert) {
        this.mustAlert = mustAlert;
    }

    public boolean mustAlert() {
        return mustAlert;
    }

    static final OrderVariant[] EPISODES = {EPISODE, BOUNDARY, INTERLEAVED, EPISODE};
    static final OrderVariant[] NEAR_MISSES = {NEAR_MISS_CREATES, NEAR_MISS_LEVELS, NEAR_MISS_RATIO,
            NEAR_MISS_CANCEL_WINDOW, NEAR_MISS_BURST_WINDOW};
}
