package io.streamfleet.bench.scenario;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngagementOriginTest {

    private static final long NOW = 1_780_000_000_000L;
    private static final long HOUR = 3_600_000L;
    private static final long SPAN = 4 * HOUR; // 60 s at 240x

    @Test
    void shouldStartADayBeforeTheRunWhenTheFleetHasNoEngagementStreamTime() {
        assertThat(EngagementOrigin.choose(NOW, SPAN, OptionalLong.empty())).isEqualTo(NOW - 24 * HOUR);
    }

    @Test
    void shouldStartAfterTheFleetsStreamTimeWhenAnEarlierRunLeftOne() {
        long fleet = NOW - 20 * HOUR;
        assertThat(EngagementOrigin.choose(NOW, SPAN, OptionalLong.of(fleet)))
                .isEqualTo(fleet + EngagementOrigin.GAP_MS);
        long old = NOW - 100 * HOUR;
        assertThat(EngagementOrigin.choose(NOW, SPAN, OptionalLong.of(old))).isEqualTo(NOW - 24 * HOUR);
    }

    @Test
    void shouldNeverOverlapWhenRunsFollowEachOtherOnOneFleet() {
        // each run leaves the fleet's time at the end of its clock; between runs it moves on with the wall clock
        long start = NOW;
        OptionalLong fleet = OptionalLong.empty();
        long previousEnd = Long.MIN_VALUE;
        for (int run = 0; run < 5; run++) {
            long origin = EngagementOrigin.choose(start, SPAN, fleet);
            assertThat(origin).isGreaterThanOrEqualTo(previousEnd + EngagementOrigin.GAP_MS);
            assertThat(origin + SPAN).isLessThanOrEqualTo(start);
            previousEnd = origin + SPAN;
            long wallBetweenRuns = 5 * 60_000L;
            fleet = OptionalLong.of(previousEnd + wallBetweenRuns);
            previousEnd += wallBetweenRuns;
            start += 60_000 + wallBetweenRuns;
        }
    }

    @Test
    void shouldRefuseNamingTheWayOutWhenNoRoomIsLeftBeforeNow() {
        assertThatThrownBy(() -> EngagementOrigin.choose(NOW, SPAN, OptionalLong.of(NOW - 10 * 60_000L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("engagement stream time is")
                .hasMessageContaining("fresh state")
                .hasMessageContaining("--engagement-speed");
    }

    @Test
    void shouldRefuseAGivenOriginThatDoesNotClearTheFleetsStreamTime() {
        long fleet = NOW - 10 * HOUR;
        assertThatThrownBy(() -> EngagementOrigin.check(fleet - HOUR, NOW, OptionalLong.of(fleet)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--engagement-origin " + (fleet - HOUR))
                .hasMessageContaining("diverted as late")
                .hasMessageContaining("at least " + (fleet + EngagementOrigin.GAP_MS));
        assertThatThrownBy(() -> EngagementOrigin.check(fleet + 60_000, NOW, OptionalLong.of(fleet)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatCode(() -> EngagementOrigin.check(fleet + EngagementOrigin.GAP_MS, NOW, OptionalLong.of(fleet)))
                .doesNotThrowAnyException();
        assertThatCode(() -> EngagementOrigin.check(NOW - 30 * HOUR, NOW, OptionalLong.empty()))
                .doesNotThrowAnyException();
    }

    @Property
    void shouldFindRoomExactlyWhenAClockCanBeChosen(@ForAll @LongRange(min = 0, max = 48) long fleetHoursBack,
                                                    @ForAll @LongRange(min = 1, max = 30) long spanHours,
                                                    @ForAll boolean freshFleet) {
        OptionalLong fleet = freshFleet ? OptionalLong.empty() : OptionalLong.of(NOW - fleetHoursBack * HOUR);
        boolean chosen;
        try {
            EngagementOrigin.choose(NOW, spanHours * HOUR, fleet);
            chosen = true;
        } catch (IllegalArgumentException e) {
            chosen = false;
        }
        assertThat(EngagementOrigin.hasRoom(NOW, spanHours * HOUR, fleet)).isEqualTo(chosen);
    }

    @Test
    void shouldKeepRoomAsTheWallClockMovesOnWhileTheFleetsTimeStands() {
        OptionalLong fleet = OptionalLong.of(NOW - 5 * HOUR);
        assertThat(EngagementOrigin.hasRoom(NOW, SPAN, fleet)).isTrue();
        assertThat(EngagementOrigin.hasRoom(NOW + HOUR, SPAN, fleet)).isTrue();
        assertThat(EngagementOrigin.hasRoom(NOW, SPAN, OptionalLong.of(NOW - 4 * HOUR))).as("4 h + 35 min needed")
                .isFalse();
    }
}
