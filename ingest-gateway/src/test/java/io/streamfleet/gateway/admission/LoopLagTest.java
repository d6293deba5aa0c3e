package io.streamfleet.gateway.admission;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An event loop's lag from its probe: the last probe's delay, or the overdue time of the next one. */
class LoopLagTest {

    private static final long MS = 1_000_000L;
    private static final long START = 5_000 * MS;

    @Test
    void shouldReportNoLagWhileTheProbeRunsOnTime() {
        LoopLag lag = new LoopLag(10 * MS, START);
        assertThat(lag.behindNanos(START + 10 * MS)).isZero();
        lag.ran(START + 10 * MS, START + 10 * MS);
        assertThat(lag.behindNanos(START + 15 * MS)).isZero();
    }

    @Test
    void shouldReportHowLateTheLastProbeRan() {
        LoopLag lag = new LoopLag(10 * MS, START);
        lag.ran(START + 10 * MS, START + 310 * MS);
        assertThat(lag.behindNanos(START + 311 * MS)).isEqualTo(300 * MS);
    }

    @Test
    void shouldReportAStillBusyLoopByItsOverdueProbeBeforeTheProbeRuns() {
        LoopLag lag = new LoopLag(10 * MS, START);
        lag.ran(START + 10 * MS, START + 10 * MS);
        assertThat(lag.behindNanos(START + 720 * MS)).as("the next probe was due at 20 ms")
                .isEqualTo(700 * MS);
    }

    @Test
    void shouldForgetAPastStallOnceTheProbeRunsOnTimeAgain() {
        LoopLag lag = new LoopLag(10 * MS, START);
        lag.ran(START + 10 * MS, START + 900 * MS);
        lag.ran(START + 910 * MS, START + 911 * MS);
        assertThat(lag.behindNanos(START + 912 * MS)).isEqualTo(MS);
    }

    @Property
    void shouldNeverReportANegativeLag(@ForAll @LongRange(min = 0, max = 10_000) long dueMs,
                                       @ForAll @LongRange(min = 0, max = 10_000) long ranMs,
                                       @ForAll @LongRange(min = 0, max = 10_000) long askedMs) {
        LoopLag lag = new LoopLag(10 * MS, START);
        lag.ran(START + dueMs * MS, START + ranMs * MS);
        assertThat(lag.behindNanos(START + Math.max(ranMs, askedMs) * MS)).isNotNegative();
    }

    @Test
    void shouldRefuseANonPositiveInterval() {
        assertThatThrownBy(() -> new LoopLag(0, START)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("interval");
    }
}
