package io.streamfleet.session.baseline;

import io.streamfleet.contracts.json.ContractSerde;
import io.streamfleet.contracts.stats.EngagementSession;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The chart points a baseline keeps: each session's ASD with the baseline it was judged by, bounded. */
class BaselineHistoryTest {

    private final BaselineRule rule = new BaselineRule(0.3, 0.30);

    @Test
    void shouldRecordTheBaselineEachSessionWasJudgedByAndMarkTheDrop() {
        Baseline baseline = rule.judge(null, session(0), 1_000).next();
        baseline = rule.judge(baseline, session(1), 1_000).next();
        BaselineRule.Verdict drop = rule.judge(baseline, session(2), 400);
        assertThat(drop.drop()).isTrue();

        assertThat(drop.next().history()).extracting(BaselinePoint::asdMs).containsExactly(1_000.0, 1_000.0, 400.0);
        assertThat(drop.next().history()).extracting(BaselinePoint::baselineBeforeMs)
                .containsExactly(null, 1_000.0, 1_000.0);
        assertThat(drop.next().history()).extracting(BaselinePoint::drop).containsExactly(false, false, true);
        assertThat(drop.next().emaAsdMs()).isEqualTo(820.0, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void shouldKeepOnlyTheLatestPointsWhenManySessionsPass() {
        Baseline baseline = rule.judge(null, session(0), 1_000).next();
        for (int i = 1; i < 50; i++) {
            baseline = rule.judge(baseline, session(i), 1_000 + i).next();
        }
        assertThat(baseline.history()).hasSize(Baseline.HISTORY);
        assertThat(baseline.history().get(Baseline.HISTORY - 1).asdMs()).isEqualTo(1_049.0);
        assertThat(baseline.recent()).hasSize(Baseline.RECENT);
    }

    @Test
    void shouldReadABaselineStoredBeforeTheHistoryExisted() {
        String stored = "{\"emaAsdMs\":900.5,\"sessions\":3,\"updatedAt\":77,\"recent\":[]}";
        try (ContractSerde<Baseline> serde = new ContractSerde<>(Baseline.class)) {
            Baseline old = serde.deserializer().deserialize("t", stored.getBytes(StandardCharsets.UTF_8));
            assertThat(old.history()).isEmpty();
            Baseline next = rule.judge(old, session(5), 100).next();
            assertThat(next.history()).singleElement().satisfies(p -> {
                assertThat(p.baselineBeforeMs()).isEqualTo(900.5);
                assertThat(p.drop()).isTrue();
            });
        }
    }

    private static EngagementSession session(int n) {
        long start = n * 3_600_000L;
        return new EngagementSession("u-1", start, start + 600_000, 6, 3, 1_000, 0.5, 1);
    }
}
