package io.streamfleet.drills;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngagementClocksTest {

    private static final long SPAN = 10_000_000L;

    @Test
    void shouldGiveLaterDrillsStretchesThatStartAfterTheEarlierOnesEndAndStayInThePast() {
        EngagementClocks clocks = new EngagementClocks();
        long firstStart = 1_800_000_000_000L;
        long secondStart = firstStart + 10 * 60_000L;

        long first = clocks.next(firstStart, SPAN);
        long second = clocks.next(secondStart, SPAN);

        assertThat(first + SPAN).isLessThan(firstStart);
        assertThat(second).isGreaterThanOrEqualTo(first + SPAN + EngagementClocks.GAP_MS);
        assertThat(second + SPAN).isLessThan(secondStart);
    }

    @Test
    void shouldStartTheNextStretchLaterByTheWallTimeBetweenTheDrillsWhenClockMarksMovedIdleTimeMeanwhile() {
        EngagementClocks clocks = new EngagementClocks();
        long firstStart = 1_800_000_000_000L;
        long wallBetween = 40 * 60_000L;

        long first = clocks.next(firstStart, SPAN);
        long second = clocks.next(firstStart + wallBetween, SPAN);

        // stream time left by the first drill: its end, plus the wall time the gateway's clock marks added since
        assertThat(second).isGreaterThanOrEqualTo(first + SPAN + wallBetween + EngagementClocks.GAP_MS);
    }

    @Test
    void shouldRefuseAStretchThatWouldReachThePresent() {
        EngagementClocks clocks = new EngagementClocks();
        long start = 1_800_000_000_000L;
        for (int i = 0; i < 7; i++) {
            clocks.next(start, SPAN);
        }

        assertThatThrownBy(() -> clocks.next(start, SPAN)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("engagement event time is used up");
    }
}
