package io.streamfleet.session.baseline;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The alert note is exactly what the format string gave, for any value and for the values the rule produces. */
class DropAlertsTest {

    private static final String FORMAT =
            "average session duration %.1f ms is %.1f %% below the baseline of %.1f ms (%d earlier sessions, %d views)";

    @Property(tries = 5000)
    void shouldRoundToOneDecimalAsTheFormatterDoes(@ForAll("values") double value) {
        assertThat(DropAlerts.oneDecimal(value)).isEqualTo(String.format(Locale.ROOT, "%.1f", value));
    }

    /** Means of dwell times (sum / count), as a session's ASD is computed. */
    @Property(tries = 5000)
    void shouldRoundAMeanAsTheFormatterDoes(@ForAll @IntRange(min = 0, max = 5_000_000) int sum,
                                            @ForAll @IntRange(min = 1, max = 400) int count) {
        double mean = (double) sum / count;
        assertThat(DropAlerts.oneDecimal(mean)).isEqualTo(String.format(Locale.ROOT, "%.1f", mean));
    }

    /** Drop ratios rounded to 3 decimals, times 100, as the note prints them. */
    @Test
    void shouldPrintEveryRoundedRatioAsTheFormatterDoes() {
        for (int thousandths = -1000; thousandths <= 1000; thousandths++) {
            double percent = thousandths / 1000.0 * 100;
            assertThat(DropAlerts.oneDecimal(percent)).as("%d", thousandths)
                    .isEqualTo(String.format(Locale.ROOT, "%.1f", percent));
        }
    }

    /** Every tenth and twentieth up to 10^5, where half-up rounding and carries happen. */
    @Test
    void shouldRoundTiesAndCarriesAsTheFormatterDoes() {
        for (int i = 0; i < 2_000_000; i++) {
            double value = i / 20.0;
            assertThat(DropAlerts.oneDecimal(value)).isEqualTo(String.format(Locale.ROOT, "%.1f", value));
            double hundredths = i / 100.0;
            assertThat(DropAlerts.oneDecimal(hundredths)).isEqualTo(String.format(Locale.ROOT, "%.1f", hundredths));
        }
    }

    @Property(tries = 2000)
    void shouldWriteTheNoteOfTheFormatString(@ForAll("values") double asd, @ForAll("values") double percent,
                                             @ForAll("values") double baseline, @ForAll long sessions,
                                             @ForAll long views) {
        assertThat(DropAlerts.note(asd, percent, baseline, sessions, views))
                .isEqualTo(String.format(Locale.ROOT, FORMAT, asd, percent, baseline, sessions, views));
    }

    @Provide
    Arbitrary<Double> values() {
        return Arbitraries.oneOf(
                Arbitraries.doubles(),
                Arbitraries.doubles().between(0, 1e7),
                Arbitraries.doubles().between(0, 200),
                Arbitraries.longs().map(Double::longBitsToDouble),
                Combinators.combine(Arbitraries.longs().between(0, 100_000_000), Arbitraries.integers().between(1, 999))
                        .as((sum, count) -> (double) sum / count),
                Arbitraries.of(0.0, -0.0, 1e-3, 0.05, 0.95, 9.95, 99.95, 999.95, 9_999_999.95, 1e7, 1e7 - 0.05,
                        Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY, -0.05, -1.25));
    }
}
