package io.streamfleet.bench.cli;

import io.streamfleet.bench.scenario.EngagementOrigin;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ScaleOutBench's plan: its steps, and when a step has to move to a fleet with fresh state. */
class ScalePlanTest {

    private static final long NOW = 1_780_000_000_000L;
    private static final long HOUR = 3_600_000L;
    private static final long MINUTE = 60_000L;

    private static ScalePlan plan(List<String> steps, long durationMs, int speed) {
        return ScalePlan.parse(steps, durationMs, 2 * durationMs, speed);
    }

    @Test
    void shouldReadInstanceAndChurnStepsInOrder() {
        ScalePlan plan = plan(List.of("1@1000", " 3@2500", "r@1000"), MINUTE, 240);

        assertThat(plan.steps()).containsExactly(new ScalePlan.Step("1@1000", false, 1, 1000),
                new ScalePlan.Step("3@2500", false, 3, 2500), new ScalePlan.Step("r@1000", true, 0, 1000));
        assertThat(plan.spanMs(plan.steps().get(0))).isEqualTo(4 * HOUR);
        assertThat(plan.spanMs(plan.steps().get(2))).as("the churn step runs --churn-duration").isEqualTo(8 * HOUR);
    }

    @Test
    void shouldRefuseAMalformedStepNamingItAndTheExpectedForm() {
        for (String bad : List.of("2x1000", "0@1000", "r@", "a@b", "1@1000@3", "2@-5", "")) {
            assertThatThrownBy(() -> plan(List.of("1@1000", bad), MINUTE, 240)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("step '" + bad + "' of --plan: expected N@RATE");
        }
        assertThatThrownBy(() -> plan(List.of(), MINUTE, 240)).hasMessage("--plan lists no step");
    }

    @Test
    void shouldRefuseAStepThatNeedsMoreEngagementClockThanAFreshFleetOffers() {
        assertThatThrownBy(() -> plan(List.of("1@1000"), 7 * MINUTE, 240))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("step 1@1000 needs 28 h of engagement clock")
                .hasMessageContaining("more than a fresh fleet offers (24 h)");
    }

    @Test
    void shouldExpectANewFleetAfterFiveSixtySecondStepsAtTheDefaultSpeed() {
        ScalePlan plan = plan(Collections.nCopies(11, "1@1000"), MINUTE, 240);

        assertThat(plan.projectedFleets(NOW, 90_000)).containsExactly(1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3);
    }

    @Test
    void shouldExpectANewFleetForEveryStepThatTakesMoreThanHalfAFreshFleetsClock() {
        // 10 s at 4 320x: 12 h per step; the second step would end 35 min in the future
        ScalePlan plan = plan(List.of("1@500", "1@500", "r@500"), 10_000, 4_320);

        assertThat(plan.projectedFleets(NOW, 30_000)).containsExactly(1, 2, 3);
    }

    @Test
    void shouldNeedAFreshFleetExactlyWhenTheRunWouldBeRefusedOnThisOne() {
        ScalePlan plan = plan(List.of("2@1000"), MINUTE, 240);
        ScalePlan.Step step = plan.steps().get(0);

        assertThat(plan.needsFreshFleet(step, NOW, OptionalLong.empty())).isFalse();
        long leastRoom = NOW - 4 * HOUR - EngagementOrigin.GAP_MS - EngagementOrigin.READ_TO_START_MS;
        assertThat(plan.needsFreshFleet(step, NOW, OptionalLong.of(leastRoom))).isFalse();
        assertThat(plan.needsFreshFleet(step, NOW, OptionalLong.of(leastRoom + 1))).isTrue();
        assertThatThrownBy(() -> EngagementOrigin.choose(NOW, 4 * HOUR,
                OptionalLong.of(leastRoom + 1 + EngagementOrigin.READ_TO_START_MS)))
                .as("the run itself refuses the step there").isInstanceOf(IllegalArgumentException.class);
    }
}
