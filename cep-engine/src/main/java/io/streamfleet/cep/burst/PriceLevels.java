package io.streamfleet.cep.burst;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Tick levels: {@code level = round(price / tick)}, computed in decimal from the shortest decimal form of the price
 * (the number as written on the wire) and rounded half-up, so {@code 1.005 / 0.01} is level 101 although the binary
 * double quotient is 100.4999….
 */
public final class PriceLevels {

    private final BigDecimal tick;

    public PriceLevels(BigDecimal tick) {
        if (tick == null || tick.signum() <= 0) {
            throw new IllegalArgumentException("tick size must be > 0, was " + tick);
        }
        this.tick = tick;
    }

    public long levelOf(double price) {
        return BigDecimal.valueOf(price).divide(tick, 0, RoundingMode.HALF_UP).longValueExact();
    }

    /** Sorted distinct levels of the prices. */
    public List<Long> distinctLevels(Collection<Double> prices) {
        TreeSet<Long> levels = new TreeSet<>();
        for (double price : prices) {
            levels.add(levelOf(price));
        }
        return List.copyOf(levels);
    }
}
