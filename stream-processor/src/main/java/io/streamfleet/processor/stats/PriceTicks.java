package io.streamfleet.processor.stats;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Price level of a price: {@code round(price / tick)} half-up, computed in decimal from the price as written, so
 * {@code 1.005 / 0.01} is level 101 although the binary quotient is 100.4999….
 */
public record PriceTicks(BigDecimal tick) {

    public PriceTicks {
        if (tick == null || tick.signum() <= 0) {
            throw new IllegalArgumentException("tick size must be > 0, was " + tick);
        }
    }

    public long levelOf(double price) {
        return levelOf(BigDecimal.valueOf(price));
    }

    /** The level of a price already in decimal ({@code BigDecimal.valueOf(price)}). */
    public long levelOf(BigDecimal price) {
        return price.divide(tick, 0, RoundingMode.HALF_UP).longValueExact();
    }
}
