package io.streamfleet.support.time;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MonotonicStreamTimeTest {

    private static final long DAYS_AGO = 1_000_000L;
    private static final long WALL = 1_767_225_600_000L;

    @Test
    void shouldAdvanceByElapsedWallTimeNotToWallTimeWhenIdle() {
        MonotonicStreamTime time = new MonotonicStreamTime(1_000);
        time.onRecord(DAYS_AGO, WALL);

        assertThat(time.advance(WALL + 999)).isEqualTo(DAYS_AGO);
        assertThat(time.advance(WALL + 5_000)).isEqualTo(DAYS_AGO + 5_000);
    }

    @Test
    void shouldNotGoBackWhenOlderRecordArrivesAfterIdleAdvance() {
        MonotonicStreamTime time = new MonotonicStreamTime(1_000);
        time.onRecord(DAYS_AGO, WALL);
        time.advance(WALL + 5_000);

        assertThat(time.onRecord(DAYS_AGO + 100, WALL + 5_000)).isEqualTo(DAYS_AGO + 5_000);
        // the next idle advance starts from the advanced time, not from the older record
        assertThat(time.advance(WALL + 7_000)).isEqualTo(DAYS_AGO + 7_000);
    }

    @Test
    void shouldResumeFromPersistedTimeWhenRestored() {
        MonotonicStreamTime time = new MonotonicStreamTime(1_000);
        time.restore(DAYS_AGO, WALL);

        assertThat(time.current()).isEqualTo(DAYS_AGO);
        assertThat(time.advance(WALL + 2_000)).isEqualTo(DAYS_AGO + 2_000);
    }

    @Test
    void shouldStayEmptyWhenNoRecordWasSeen() {
        assertThat(new MonotonicStreamTime(0).advance(WALL)).isEqualTo(Long.MIN_VALUE);
    }
}
