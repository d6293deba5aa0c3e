package io.streamfleet.support.time;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdleClockTest {

    @Test
    void shouldFollowTheHighestEventTimeWhileRecordsArrive() {
        IdleClock clock = new IdleClock(1_000);
        clock.onRecord(5_000, 100);
        clock.onRecord(4_000, 200);
        assertThat(clock.streamTimeMs(300)).isEqualTo(5_000);
    }

    @Test
    void shouldAdvanceByElapsedWallClockAfterTheIdleTimeout() {
        IdleClock clock = new IdleClock(1_000);
        clock.onRecord(5_000, 100);
        assertThat(clock.streamTimeMs(1_099)).isEqualTo(5_000);
        assertThat(clock.streamTimeMs(1_100)).isEqualTo(6_000);
        assertThat(clock.streamTimeMs(4_100)).isEqualTo(9_000);
    }

    @Property
    void shouldNeverJumpToWallClockTimeForHistoricalData(@ForAll @LongRange(min = 0, max = 1_000_000_000L) long eventTime,
                                                          @ForAll @LongRange(min = 0, max = 100_000) long idle) {
        long wallNow = 1_900_000_000_000L;
        IdleClock clock = new IdleClock(500);
        clock.onRecord(eventTime, wallNow);
        assertThat(clock.streamTimeMs(wallNow + idle)).isLessThanOrEqualTo(eventTime + idle);
    }

    @Test
    void shouldReportEmptyUntilTheFirstRecord() {
        IdleClock clock = new IdleClock(0);
        assertThat(clock.isEmpty()).isTrue();
        clock.restore(7_000, 10);
        assertThat(clock.isEmpty()).isFalse();
        assertThat(clock.streamTimeMs(10)).isEqualTo(7_000);
    }
}
