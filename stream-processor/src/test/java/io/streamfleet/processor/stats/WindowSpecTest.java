package io.streamfleet.processor.stats;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WindowSpecTest {

    @Test
    void shouldFindTheOneTumblingWindowWhenTimeIsGiven() {
        WindowSpec spec = WindowSpec.tumbling(Duration.ofSeconds(1));
        assertThat(spec.name()).isEqualTo("tumbling-1s");
        assertThat(spec.startsFor(12_999)).containsExactly(12_000);
        assertThat(spec.startsFor(13_000)).containsExactly(13_000);
        assertThat(spec.startsFor(-1)).containsExactly(-1_000);
    }

    @Test
    void shouldFindSixHoppingWindowsWhenSizeIsSixAdvances() {
        WindowSpec spec = WindowSpec.hopping(Duration.ofMinutes(1), Duration.ofSeconds(10));
        assertThat(spec.name()).isEqualTo("hopping-1m");
        assertThat(spec.startsFor(125_000)).containsExactly(70_000, 80_000, 90_000, 100_000, 110_000, 120_000);
        assertThat(spec.startsFor(130_000)).containsExactly(80_000, 90_000, 100_000, 110_000, 120_000, 130_000);
        assertThat(spec.endOf(70_000)).isEqualTo(130_000);
    }

    @Test
    void shouldHandleSizesThatAreNotMultiplesOfTheAdvance() {
        WindowSpec spec = new WindowSpec("odd", 25, 10);
        for (long t = 0; t < 100; t++) {
            for (long start : spec.startsFor(t)) {
                assertThat(start).isLessThanOrEqualTo(t);
                assertThat(spec.endOf(start)).isGreaterThan(t);
                assertThat(start % 10).isZero();
            }
            assertThat(spec.startsFor(t).length).isBetween(2, 3);
        }
    }

    @Test
    void shouldFindTheNextWindowEndStrictlyAfterATime() {
        WindowSpec tumbling = WindowSpec.tumbling(Duration.ofSeconds(1));
        assertThat(tumbling.nextEndAfter(1_500)).isEqualTo(2_000);
        assertThat(tumbling.nextEndAfter(2_000)).as("strictly after").isEqualTo(3_000);
        assertThat(tumbling.nextEndAfter(-1)).isEqualTo(0);
        WindowSpec odd = new WindowSpec("odd", 25, 10);
        for (long t = -50; t < 100; t++) {
            long next = odd.nextEndAfter(t);
            assertThat(next).isGreaterThan(t).isLessThanOrEqualTo(t + 10);
            assertThat(Math.floorMod(next - 25, 10)).as("an end of some window").isZero();
        }
    }

    @Test
    void shouldRejectAdvanceLargerThanSize() {
        assertThatThrownBy(() -> new WindowSpec("x", 10, 20)).hasMessageContaining("advance");
    }

    @Test
    void shouldCutHoppingWindowsIntoAdvanceLongPanesWhenSizeIsAMultipleOfTheAdvance() {
        WindowSpec spec = WindowSpec.hopping(Duration.ofMinutes(1), Duration.ofSeconds(10));
        assertThat(spec.paneMs()).isEqualTo(10_000);
        assertThat(spec.paneStartOf(125_000)).isEqualTo(120_000);
        assertThat(spec.paneStartOf(-1)).isEqualTo(-10_000);
        // the last window containing 125 s is [120 s, 180 s)
        assertThat(spec.lastEndContaining(125_000)).isEqualTo(180_000);
        assertThat(WindowSpec.tumbling(Duration.ofSeconds(1)).paneMs()).isEqualTo(1_000);
    }

    @Test
    void shouldUsePanesDividingSizeAndAdvanceWhenSizeIsNotAMultipleOfTheAdvance() {
        WindowSpec spec = new WindowSpec("odd", 25, 10);
        assertThat(spec.paneMs()).isEqualTo(5);
        for (long t = -60; t < 100; t++) {
            long pane = spec.paneStartOf(t);
            assertThat(pane).isLessThanOrEqualTo(t).isGreaterThan(t - 5);
            long[] starts = spec.startsFor(t);
            // every window containing t contains its whole pane, and the last of them ends at lastEndContaining
            for (long start : starts) {
                assertThat(start).isLessThanOrEqualTo(pane);
                assertThat(spec.endOf(start)).isGreaterThanOrEqualTo(pane + spec.paneMs());
            }
            assertThat(spec.lastEndContaining(t)).isEqualTo(spec.endOf(starts[starts.length - 1]));
        }
    }
}
