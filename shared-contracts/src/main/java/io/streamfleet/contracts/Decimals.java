package io.streamfleet.contracts;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The rounding rule of the contracts: ratios and durations are rounded half-up to a fixed number of decimals. */
public final class Decimals {

    private Decimals() {
    }

    /** Rounds half-up using the shortest decimal representation of {@code value} (so 0.8125 → 0.813). */
    public static double halfUp(double value, int places) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("cannot round a non-finite value: " + value);
        }
        return BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP).doubleValue();
    }

    /** {@code numerator / denominator} rounded half-up, computed exactly in decimal. */
    public static double ratioHalfUp(long numerator, long denominator, int places) {
        if (denominator == 0) {
            throw new ArithmeticException("ratio with a zero denominator");
        }
        return BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), places, RoundingMode.HALF_UP)
                .doubleValue();
    }
}
