package io.streamfleet.processor.stats;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PriceLevelsTest {

    private static final PriceTicks TICKS = new PriceTicks(new BigDecimal("0.01"));

    @Property(tries = 300)
    void shouldAnswerAsValueOfAndLevelOfWhenPricesRepeatAndCollide(@ForAll("prices") List<Double> prices) {
        PriceLevels levels = new PriceLevels(TICKS);
        for (double price : prices) {
            PriceLevels.Priced priced = levels.of(price);
            BigDecimal expected = BigDecimal.valueOf(price);
            // equals, not compareTo: the scale is part of the answer (notional sums keep it)
            assertThat(priced.price()).isEqualTo(expected);
            assertThat(priced.level()).isEqualTo(TICKS.levelOf(expected));
        }
    }

    @Test
    void shouldTellZeroFromNegativeZeroWhenBothAreAsked() {
        PriceLevels levels = new PriceLevels(TICKS);
        assertThat(levels.of(0.0).price()).isEqualTo(BigDecimal.valueOf(0.0));
        assertThat(levels.of(-0.0).price()).isEqualTo(BigDecimal.valueOf(-0.0));
        assertThat(levels.of(0.0).price()).isEqualTo(BigDecimal.valueOf(0.0));
    }

    @Test
    void shouldThrowAsTheTicksDoWhenALevelDoesNotFitALong() {
        PriceLevels levels = new PriceLevels(TICKS);
        assertThatThrownBy(() -> levels.of(1e300)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> levels.of(1e300)).isInstanceOf(ArithmeticException.class);
    }

    @Provide
    Arbitrary<List<Double>> prices() {
        // a few hundred distinct prices on and off the tick grid, repeated: more than the slots, so entries collide
        Arbitrary<Double> grid = Arbitraries.integers().between(1, 400).map(cents -> 100 + cents / 100.0);
        Arbitrary<Double> any = Arbitraries.doubles().between(-1e6, 1e6);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, grid), net.jqwik.api.Tuple.of(1, any))
                .list().ofMinSize(1).ofMaxSize(2_000);
    }
}
