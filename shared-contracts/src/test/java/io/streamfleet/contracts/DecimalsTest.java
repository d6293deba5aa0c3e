package io.streamfleet.contracts;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecimalsTest {

    @Test
    void shouldRoundHalfUpOnTheDecimalValue() {
        assertThat(Decimals.halfUp(0.8125, 3)).isEqualTo(0.813);
        assertThat(Decimals.halfUp(0.8124, 3)).isEqualTo(0.812);
        assertThat(Decimals.halfUp(12345.65, 1)).isEqualTo(12345.7);
    }

    @Test
    void shouldComputeRatiosExactly() {
        assertThat(Decimals.ratioHalfUp(13, 16, 3)).isEqualTo(0.813);
        assertThat(Decimals.ratioHalfUp(8, 10, 3)).isEqualTo(0.8);
        assertThat(Decimals.ratioHalfUp(2, 3, 3)).isEqualTo(0.667);
    }

    @Test
    void shouldRefuseNonFiniteValuesAndZeroDenominators() {
        assertThatThrownBy(() -> Decimals.halfUp(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Decimals.ratioHalfUp(1, 0, 3)).isInstanceOf(ArithmeticException.class);
    }
}
