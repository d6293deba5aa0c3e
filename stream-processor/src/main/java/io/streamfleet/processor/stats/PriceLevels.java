package io.streamfleet.processor.stats;

import java.math.BigDecimal;

/**
 * A price in decimal ({@code BigDecimal.valueOf(price)}) and its {@link PriceTicks} level, remembered for recent
 * prices: the two (a {@code Double.toString} and a decimal division) cost more than the rest of an order's aggregation,
 * and orders repeat prices (they lie on a tick grid). Direct-mapped by the price's bits, and an entry answers only for
 * exactly the bits it was computed from, so the answer is always what the two calls would give. One per processor: not
 * thread-safe.
 */
public final class PriceLevels {

    /** A price in decimal and its level. */
    public record Priced(BigDecimal price, long level) {
    }

    private static final int SLOT_BITS = 8;

    private final PriceTicks ticks;
    private final long[] bits = new long[1 << SLOT_BITS];
    private final Priced[] entries = new Priced[1 << SLOT_BITS];

    public PriceLevels(PriceTicks ticks) {
        this.ticks = ticks;
    }

    /** {@code BigDecimal.valueOf(price)} and {@code ticks.levelOf} of it (which throws as it would). */
    public Priced of(double price) {
        long key = Double.doubleToRawLongBits(price);
        int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> (Long.SIZE - SLOT_BITS));
        Priced entry = entries[slot];
        if (entry != null && bits[slot] == key) {
            return entry;
        }
        BigDecimal decimal = BigDecimal.valueOf(price);
        entry = new Priced(decimal, ticks.levelOf(decimal));
        bits[slot] = key;
        entries[slot] = entry;
        return entry;
    }
}
