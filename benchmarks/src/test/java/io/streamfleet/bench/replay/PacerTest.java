package io.streamfleet.bench.replay;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PacerTest {

    private static final long MS = 1_000_000L;

    @Test
    void shouldNeverWaitWhenSpeedIsMax() {
        Pacer pacer = Pacer.parse("max");
        assertThat(pacer.unlimited()).isTrue();
        assertThat(pacer.waitNanos(1_000, 0)).isZero();
        assertThat(pacer.waitNanos(86_400_000, 0)).isZero();
        assertThat(pacer.wallMs(60_000)).isZero();
    }

    @Test
    void shouldKeepTheRecordedSpacingWhenSpeedIsOne() {
        Pacer pacer = Pacer.parse("1");
        assertThat(pacer.waitNanos(10_000, 0)).isZero();
        assertThat(pacer.waitNanos(10_250, 100 * MS)).isEqualTo(150 * MS);
        assertThat(pacer.waitNanos(10_250, 250 * MS)).isZero();
        assertThat(pacer.waitNanos(11_000, 300 * MS)).isEqualTo(700 * MS);
    }

    @Test
    void shouldDivideTheSpacingWhenSpeedIsAFactor() {
        Pacer pacer = Pacer.parse("10x");
        pacer.waitNanos(0, 0);
        assertThat(pacer.waitNanos(60_000, 0)).isEqualTo(6_000 * MS);
        assertThat(pacer.wallMs(3_600_000)).isEqualTo(360_000);
        assertThat(Pacer.parse("0.5").waitNanos(0, 0)).isZero();
        assertThat(Pacer.parse("0.5").describe()).isEqualTo("0.5× recorded pace");
        assertThat(pacer.describe()).isEqualTo("10× recorded pace");
    }

    @Test
    void shouldSendAtOnceWhenATimestampGoesBackwards() {
        Pacer pacer = Pacer.parse("1");
        pacer.waitNanos(5_000, 0);
        assertThat(pacer.waitNanos(6_000, 0)).isEqualTo(1_000 * MS);
        // an older timestamp after a newer one is due no later than the newest seen
        assertThat(pacer.waitNanos(4_000, 1_000 * MS)).isZero();
        assertThat(pacer.waitNanos(6_500, 1_000 * MS)).isEqualTo(500 * MS);
    }

    @Test
    void shouldTellHowFarBehindScheduleTheReplayIs() {
        Pacer pacer = Pacer.parse("1");
        assertThat(pacer.behindNanos(5 * MS)).isZero();
        pacer.waitNanos(0, 0);
        pacer.waitNanos(100, 0);
        assertThat(pacer.behindNanos(50 * MS)).isZero();
        assertThat(pacer.behindNanos(400 * MS)).isEqualTo(300 * MS);
        assertThat(Pacer.max().behindNanos(400 * MS)).isZero();
    }

    @Test
    void shouldExplainTheChoicesWhenTheSpeedIsNotValid() {
        for (String bad : new String[] {"fast", "0", "-2", "NaN", "Infinity", ""}) {
            assertThatThrownBy(() -> Pacer.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--speed must be 'max' or a positive factor");
        }
    }
}
